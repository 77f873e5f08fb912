package events.jitsi.core.aws;

import java.util.ArrayList;
import java.util.List;

/**
 * AWS describe calls take a bounded list of names (DescribeServices 10, DescribeTasks and DescribeContainerInstances
 * 100): a longer list goes in consecutive batches of at most that many.
 */
public final class Batches {
    public static final int DESCRIBE_SERVICES = 10;
    public static final int DESCRIBE_TASKS = 100;

    private Batches() {
    }

    public static <T> List<List<T>> of(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(List.copyOf(all.subList(i, Math.min(all.size(), i + size))));
        }
        return out;
    }
}
