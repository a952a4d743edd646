package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every storage driver must do; each driver's test extends this with its own {@link #driver()}. */
public abstract class StorageDriverContract {

    protected abstract StorageDriver driver();

    /** How far apart two writes must be for their modification times to differ. */
    protected Duration clockStep() {
        return Duration.ofMillis(50); // file times on Linux advance by the kernel's tick, a few milliseconds
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The two moves, which differ only in durability, which no test here can see. */
    enum Move {
        DURABLE, UNSYNCED;

        void apply(StorageDriver driver, String from, String to) {
            if (this == DURABLE) {
                driver.move(from, to);
            } else {
                driver.rename(from, to);
            }
        }
    }

    @Test
    void putThenGetReturnsTheContent() {
        driver().putContent("/a/b/c", bytes("hello"));
        assertThat(driver().getContent("/a/b/c")).isEqualTo(bytes("hello"));
        driver().putContent("/a/b/c", bytes("replaced"));
        assertThat(driver().getContent("/a/b/c")).isEqualTo(bytes("replaced"));
    }

    @Test
    void ensureWritesWhatIsMissingOrDifferentAndKeepsWhatIsThere() {
        driver().ensureContent("/a/link", bytes("sha256:one"));
        assertThat(driver().getContent("/a/link")).isEqualTo(bytes("sha256:one"));
        driver().ensureContent("/a/link", bytes("sha256:one"));
        assertThat(driver().getContent("/a/link")).isEqualTo(bytes("sha256:one"));
        driver().ensureContent("/a/link", bytes("sha256:two"));
        assertThat(driver().getContent("/a/link")).isEqualTo(bytes("sha256:two"));
        driver().ensureContent("/a/link", bytes("sha256:"));
        assertThat(driver().getContent("/a/link")).isEqualTo(bytes("sha256:"));
    }

    @Test
    void ensureOfSeveralKeysWritesWhatIsMissingOrDifferentAndKeepsWhatIsThere() {
        driver().putContent("/t/current/link", bytes("sha256:old"));
        driver().putContent("/r/link", bytes("sha256:new"));
        Map<String, byte[]> contents = new LinkedHashMap<>();
        contents.put("/t/index/new/link", bytes("sha256:new"));
        contents.put("/t/current/link", bytes("sha256:new"));
        contents.put("/r/link", bytes("sha256:new"));

        driver().ensureContents(contents);

        assertThat(driver().getContent("/t/index/new/link")).isEqualTo(bytes("sha256:new"));
        assertThat(driver().getContent("/t/current/link")).isEqualTo(bytes("sha256:new"));
        assertThat(driver().getContent("/r/link")).isEqualTo(bytes("sha256:new"));
        assertThat(driver().list("/t")).containsExactlyInAnyOrder("index", "current");
    }

    @Test
    void touchCreatesTheKeyAndMovesItsTimeForward() throws Exception {
        driver().touch("/blobs/ab/claimed");
        FileInfo first = driver().stat("/blobs/ab/claimed").orElseThrow();
        assertThat(first.directory()).isFalse();
        Thread.sleep(clockStep());
        driver().touch("/blobs/ab/claimed");
        assertThat(driver().stat("/blobs/ab/claimed").orElseThrow().modified()).isAfter(first.modified());
    }

    @Test
    void missingKeysAreNotFound() {
        assertThatThrownBy(() -> driver().getContent("/nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> driver().reader("/nope", 0)).isInstanceOf(NotFoundException.class);
        assertThat(driver().stat("/nope")).isEmpty();
        assertThat(driver().list("/nope")).isEmpty();
    }

    @Test
    void readsFromAnOffset() throws Exception {
        driver().putContent("/f", bytes("0123456789"));
        try (InputStream in = driver().reader("/f", 4)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("456789"));
        }
    }

    @Test
    void writerAppendsAndTruncates() {
        try (StorageWriter w = driver().writer("/up/data", false)) {
            w.write(bytes("abc"), 0, 3);
            assertThat(w.size()).isEqualTo(3);
        }
        try (StorageWriter w = driver().writer("/up/data", true)) {
            assertThat(w.size()).isEqualTo(3);
            w.write(bytes("defg"), 1, 2);
            w.truncate(4);
            assertThat(w.size()).isEqualTo(4);
        }
        assertThat(driver().getContent("/up/data")).isEqualTo(bytes("abce"));
        assertThat(driver().stat("/up/data")).hasValueSatisfying(info -> {
            assertThat(info.size()).isEqualTo(4);
            assertThat(info.directory()).isFalse();
        });
    }

    /** An upload's data deleted (completed, cancelled, purged) must not come back with a chunk that arrives late. */
    @Test
    void appendsOnlyToAFileThatIsThere() {
        assertThatThrownBy(() -> driver().writer("/up/gone/data", true)).isInstanceOf(NotFoundException.class);
        assertThat(driver().stat("/up/gone/data")).isEmpty();
        assertThat(driver().stat("/up")).isEmpty();
    }

    /** Larger than any buffer or threshold a driver keeps, in pieces that match none of their sizes. */
    private static final int LARGE = (13 << 20) + 5;
    private static final int PIECE = (64 << 10) + 7;

    private static byte[] random(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }

    /** Writes {@code content} from direct buffers, as the server hands over a request body. */
    private static void writeInPieces(StorageWriter writer, byte[] content) {
        ByteBuffer piece = ByteBuffer.allocateDirect(PIECE);
        for (int at = 0; at < content.length; at += PIECE) {
            piece.clear().put(content, at, Math.min(PIECE, content.length - at)).flip();
            writer.write(piece);
            assertThat(piece.hasRemaining()).isFalse();
        }
    }

    @Test
    void largeAppendsAreCountedAndReadBackWhole() throws Exception {
        byte[] first = random(LARGE);
        byte[] second = random(LARGE / 2);
        try (StorageWriter w = driver().writer("/up/large", false)) {
            writeInPieces(w, first);
            assertThat(w.size()).isEqualTo(first.length);
        }
        try (StorageWriter w = driver().writer("/up/large", true)) {
            writeInPieces(w, second);
            assertThat(w.size()).isEqualTo(first.length + second.length);
        }
        try (InputStream in = driver().reader("/up/large", 0)) {
            byte[] read = in.readAllBytes();
            assertThat(Arrays.equals(read, 0, first.length, first, 0, first.length)).isTrue();
            assertThat(Arrays.equals(read, first.length, read.length, second, 0, second.length)).isTrue();
        }
    }

    @Test
    void truncateUndoesALargeAppendAndWritingGoesOnFromThere() throws Exception {
        byte[] kept = random(3 << 20);
        byte[] undone = random(LARGE);
        byte[] after = random(PIECE * 3);
        try (StorageWriter w = driver().writer("/up/undone", false)) {
            writeInPieces(w, kept);
        }
        try (StorageWriter w = driver().writer("/up/undone", true)) {
            writeInPieces(w, undone);
            w.truncate(kept.length);
            assertThat(w.size()).isEqualTo(kept.length);
            writeInPieces(w, after);
            assertThat(w.size()).isEqualTo(kept.length + after.length);
        }
        try (InputStream in = driver().reader("/up/undone", 0)) {
            byte[] expected = Arrays.copyOf(kept, kept.length + after.length);
            System.arraycopy(after, 0, expected, kept.length, after.length);
            assertThat(Arrays.equals(in.readAllBytes(), expected)).isTrue();
        }
    }

    @Test
    void listsDirectChildren() {
        driver().putContent("/d/x/1", bytes("1"));
        driver().putContent("/d/y", bytes("2"));
        assertThat(driver().list("/d")).containsExactlyInAnyOrder("x", "y");
        assertThat(driver().stat("/d/x")).hasValueSatisfying(info -> assertThat(info.directory()).isTrue());
    }

    @Test
    void isADirectoryWhereFilesAreBelowOnly() {
        driver().putContent("/i/dir/deeper/file", bytes("1"));
        assertThat(driver().isDirectory("/i/dir")).isTrue();
        assertThat(driver().isDirectory("/i/dir/deeper")).isTrue();
        assertThat(driver().isDirectory("/i/dir/deeper/file")).isFalse();
        assertThat(driver().isDirectory("/i/missing")).isFalse();
        assertThat(driver().isDirectory("/i/di")).isFalse(); // a prefix of a directory's name is none
        driver().delete("/i/dir/deeper/file");
        assertThat(driver().isDirectory("/i/dir/deeper")).isFalse();
    }

    @Test
    void sortsChildrenByWhetherTheyHoldAFile() {
        driver().putContent("/h/linked/current/link", bytes("1"));
        driver().putContent("/h/other/current/other", bytes("2"));
        driver().putContent("/h/directory/current/link/below", bytes("3"));
        driver().putContent("/h/file", bytes("4"));
        ChildrenHolding children = driver().listHolding("/h", "current/link");
        assertThat(children.holding()).containsExactly("linked");
        assertThat(children.lacking()).containsExactlyInAnyOrder("other", "directory", "file");
        assertThat(driver().listHolding("/missing", "current/link")).isEqualTo(ChildrenHolding.NONE);
        for (String relative : new String[] {"../h", "current/../../x", "/current", "current/"}) {
            assertThatThrownBy(() -> driver().listHolding("/h", relative)).as(relative)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void statFileSeesFilesAndNothingElse() {
        driver().putContent("/s/dir/file", bytes("12345"));
        assertThat(driver().statFile("/s/dir/file")).hasValueSatisfying(info -> {
            assertThat(info.size()).isEqualTo(5);
            assertThat(info.directory()).isFalse();
        });
        assertThat(driver().statFile("/s/dir")).isEmpty();
        assertThat(driver().statFile("/s/missing")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Move.class)
    void movesReplacingTheTarget(Move move) {
        driver().putContent("/m/from", bytes("new"));
        driver().putContent("/m/to/x", bytes("old"));
        move.apply(driver(), "/m/from", "/m/to/x");
        assertThat(driver().getContent("/m/to/x")).isEqualTo(bytes("new"));
        assertThat(driver().stat("/m/from")).isEmpty();
        move.apply(driver(), "/m/to/x", "/m/new/dir/x");
        assertThat(driver().getContent("/m/new/dir/x")).isEqualTo(bytes("new"));
        assertThatThrownBy(() -> move.apply(driver(), "/m/missing", "/m/y")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletesTreesAndIgnoresMissingKeys() {
        driver().putContent("/t/a/b", bytes("1"));
        driver().putContent("/t/c", bytes("2"));
        driver().delete("/t");
        assertThat(driver().stat("/t")).isEmpty();
        driver().delete("/t");
    }

    @ParameterizedTest
    @EnumSource(Move.class)
    void leavesNoEmptyDirectoryBehind(Move move) {
        driver().putContent("/e/keep", bytes("1"));
        driver().putContent("/e/x/y/z/link", bytes("2"));
        driver().putContent("/e/m/from", bytes("3"));
        driver().delete("/e/x/y/z/link");
        move.apply(driver(), "/e/m/from", "/e/moved");
        assertThat(driver().list("/e")).containsExactlyInAnyOrder("keep", "moved");
        driver().delete("/e/keep");
        driver().delete("/e/moved");
        assertThat(driver().stat("/e")).isEmpty();
        assertThatThrownBy(() -> move.apply(driver(), "/e/gone", "/e/f/g")).isInstanceOf(NotFoundException.class);
        assertThat(driver().stat("/e")).isEmpty();
    }

    @Test
    void writesSucceedWhileAnotherThreadEmptiesTheDirectory() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread deleter = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                driver().delete("/race/a/b/other");
            }
        });
        try {
            for (int i = 0; i < 150; i++) {
                driver().putContent("/race/a/b/other", bytes("x"));
                driver().putContent("/race/a/b/c/" + i, bytes("y"));
                try (StorageWriter w = driver().writer("/race/a/b/w/" + i, false)) {
                    w.write(bytes("z"), 0, 1);
                }
                driver().move("/race/a/b/w/" + i, "/race/a/b/m/" + i);
                assertThat(driver().getContent("/race/a/b/c/" + i)).isEqualTo(bytes("y"));
                assertThat(driver().getContent("/race/a/b/m/" + i)).isEqualTo(bytes("z"));
                driver().delete("/race/a/b/c/" + i);
                driver().delete("/race/a/b/m/" + i);
            }
        } finally {
            stop.set(true);
            deleter.join();
        }
    }

    @Test
    void putsSucceedWhileAnotherThreadDeletesTheTreeTheyWriteInto() throws Exception {
        // a tag pushed again and again while the same tag is deleted every few milliseconds: either may win each
        // time, but neither a push nor a delete may fail
        putWhileDeleting(200, 5_000_000, this::putLink);
        driver().putContent("/tags/t1/current/link", bytes("last"));
        assertThat(driver().getContent("/tags/t1/current/link")).isEqualTo(bytes("last"));
    }

    @Test
    void putsOutlastDeletesOfTheirTreeThatComeFasterThanAPutCanWrite() throws Exception {
        // each delete takes the file a put is writing before the put can rename it into place, for as long as the
        // deletes go on (a sync slower than the time between two deletes does that); the puts must not fail
        putWhileDeleting(500, 200_000, this::putLink);
        driver().putContent("/tags/t1/index/sha256/x/link", bytes("last"));
        assertThat(driver().getContent("/tags/t1/index/sha256/x/link")).isEqualTo(bytes("last"));
    }

    @Test
    void ensuresOfATagsLinksOutlastDeletesOfTheTag() throws Exception {
        // as above, for a tag's two links written as one: each of them may lose its file or its directory to a delete
        putWhileDeleting(500, 200_000, put -> {
            Map<String, byte[]> links = new LinkedHashMap<>();
            links.put("/tags/t1/index/sha256/x" + put + "/link", bytes("sha256:x" + put));
            links.put("/tags/t1/current/link", bytes("sha256:x" + put));
            driver().ensureContents(links);
        });
        driver().ensureContents(Map.of("/tags/t1/current/link", bytes("last")));
        assertThat(driver().getContent("/tags/t1/current/link")).isEqualTo(bytes("last"));
    }

    private void putLink(int put) {
        driver().putContent("/tags/t1/index/sha256/x/link", bytes("sha256:" + put));
    }

    /**
     * Puts a tag's link again and again for as long as another thread deletes the tag, so that the two overlap
     * however fast or slow the disk syncs (how many puts that makes is the disk's speed, not the driver's behaviour).
     */
    private void putWhileDeleting(int deletes, long pauseNanos, IntConsumer put) throws InterruptedException {
        AtomicReference<RuntimeException> deleteFailed = new AtomicReference<>();
        Thread deleter = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < deletes; i++) {
                    driver().delete("/tags/t1");
                    LockSupport.parkNanos(pauseNanos);
                }
            } catch (RuntimeException e) {
                deleteFailed.set(e);
            }
        });
        int puts = 0;
        try {
            for (; deleter.isAlive(); puts++) {
                put.accept(puts);
            }
        } finally {
            deleter.join();
        }
        assertThat(deleteFailed.get()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Move.class)
    void movesRacingForTheSameFileLeaveNoEmptyDirectory(Move move) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Runnable racer = () -> {
            while (!stop.get()) {
                try {
                    move.apply(driver(), "/r/a/x", "/r/b/moved");
                    driver().delete("/r/b/moved");
                } catch (NotFoundException e) {
                    // the other one got there first
                }
            }
        };
        Thread first = Thread.ofPlatform().start(racer);
        Thread second = Thread.ofPlatform().start(racer);
        try {
            for (int i = 0; i < 500; i++) {
                driver().putContent("/r/a/x", bytes("x"));
            }
        } finally {
            stop.set(true);
            first.join();
            second.join();
        }
        driver().delete("/r/a/x");
        assertThat(driver().stat("/r")).isEmpty();
    }

    @Test
    void refusesKeysThatCouldEscapeTheRoot() {
        for (String key : new String[] {"", "a", "/", "/a/../b", "/..", "/a/.", "//a", "/a/", "/a b", "/a\\b"}) {
            assertThatThrownBy(() -> driver().getContent(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> driver().putContent(key, bytes("x"))).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
