package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final long KIB = 1024;

    private static CompletableFuture<MemoryBudget.Reservation> reserveLater(MemoryBudget budget, long bytes) {
        return CompletableFuture.supplyAsync(() -> budget.reserve(bytes), Executors.newVirtualThreadPerTaskExecutor());
    }

    @Test
    void aReservationWaitsUntilOthersLeaveRoomAndLargeOnesAreNotOvertaken() throws Exception {
        MemoryBudget budget = new MemoryBudget(10 * KIB);
        MemoryBudget.Reservation first = budget.reserve(8 * KIB);
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
    void aReservationLargerThanTheBudgetTakesAllOfItInsteadOfWaitingForever() throws Exception {
        MemoryBudget budget = new MemoryBudget(10 * KIB);
        budget.reserve(1L << 40).close();
        MemoryBudget.Reservation whole = budget.reserve(1L << 40);
        CompletableFuture<MemoryBudget.Reservation> next = reserveLater(budget, 1);
        assertThatThrownBy(() -> next.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        whole.close();
        next.get(10, TimeUnit.SECONDS).close();
    }
}
