package dev.berth.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The direct children of a directory, by whether each holds a given file ({@link StorageDriver#listHolding}).
 *
 * @param holding the names of the children that hold it, unsorted
 * @param lacking the names of the others, unsorted
 */
public record ChildrenHolding(List<String> holding, List<String> lacking) {

    public static final ChildrenHolding NONE = new ChildrenHolding(List.of(), List.of());

    public ChildrenHolding {
        holding = List.copyOf(holding);
        lacking = List.copyOf(lacking);
    }

    /**
     * {@link StorageDriver#listHolding} as any driver can answer it: a listing and a look at each child's file, the
     * looks at once where each is a round trip ({@link AtOnce}).
     */
    public static ChildrenHolding lookingAtEach(StorageDriver driver, String key, String relative) {
        Keys.check("/" + relative);
        List<String> names = driver.list(key);
        List<Boolean> holds = new AtOnce(driver).map(names, name -> {
            String file = key + "/" + name + "/" + relative;
            return Keys.valid(file) && driver.statFile(file).isPresent();
        });
        List<String> holding = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            (holds.get(i) ? holding : lacking).add(names.get(i));
        }
        return new ChildrenHolding(holding, lacking);
    }
}
