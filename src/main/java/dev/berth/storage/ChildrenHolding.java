package dev.berth.storage;

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
}
