package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.ApiException;
import dev.berth.api.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final long KIB = 1024;

    private static CompletableFuture<MemoryBudget.Reservation> reserveLater(MemoryBudget budget, long bytes) {
        return CompletableFuture.supplyAsync(() -> {
            MemoryBudget.Reservation reservation = budget.reserve();
            reservation.growTo(bytes);
            return reservation;
        }, Executors.newVirtualThreadPerTaskExecutor());
    }

    private static MemoryBudget.Reservation reserve(MemoryBudget budget, long bytes) {
        MemoryBudget.Reservation reservation = budget.reserve();
        reservation.growTo(bytes);
        return reservation;
    }

    @Test
    void aReservationWaitsUntilOthersLeaveRoomAndLargeOnesAreNotOvertaken() throws Exception {
        MemoryBudget budget = new MemoryBudget(10 * KIB);
        MemoryBudget.Reservation first = reserve(budget, 8 * KIB);
        CompletableFuture<MemoryBudget.Reservation> large = reserveLater(budget, 10 * KIB);
        assertThatThrownBy(() -> large.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        // there is room for it, but it comes after the large one
        CompletableFuture<MemoryBudget.Reservation> small = reserveLater(budget, KIB);
        assertThatThrownBy(() -> small.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        first.close();
        large.get(10, TimeUnit.SECONDS).close();
        small.get(10, TimeUnit.SECONDS).close();
    }

    @Test
    void aReservationGrowsByWhatItLacksAndGivesAllBackOnClose() {
        MemoryBudget budget = new MemoryBudget(10 * KIB, Duration.ofMillis(100));
        MemoryBudget.Reservation growing = budget.reserve();
        growing.growTo(2 * KIB);
        growing.growTo(6 * KIB);
        growing.growTo(3 * KIB);
        assertThatThrownBy(() -> reserve(budget, 5 * KIB)).isInstanceOf(ApiException.class);
        reserve(budget, 4 * KIB).close();

        growing.close();
        reserve(budget, 10 * KIB).close();
    }

    @Test
    void aReservationThatFindsNoRoomInTimeIsRefusedWithTooManyRequests() {
        MemoryBudget budget = new MemoryBudget(10 * KIB, Duration.ofMillis(200));
        MemoryBudget.Reservation whole = reserve(budget, 1L << 40);

        assertThatThrownBy(() -> reserve(budget, 1)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TOOMANYREQUESTS));
        whole.close();
        reserve(budget, 1).close();
    }
}
