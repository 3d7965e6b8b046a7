package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockSetTest {

    @Test
    void blocksInOrderAreCompleteAtTheShortOne() {
        BlockSet blocks = new BlockSet();

        blocks.add(1, false);
        blocks.add(2, false);
        assertFalse(blocks.complete());
        blocks.add(3, true);

        assertTrue(blocks.complete());
        assertEquals(3, blocks.contiguous());
        assertEquals(3, blocks.lastBlock());
    }

    @Test
    void aLateJoinerHoldsTheTailAndAcknowledgesOnlyWhatIsInSequence() {
        BlockSet blocks = new BlockSet();
        for (int block = 5; block <= 9; block++) {
            blocks.add(block, block == 9);
        }

        assertEquals(0, blocks.contiguous());
        assertEquals(9, blocks.lastBlock());
        assertFalse(blocks.complete());

        blocks.add(1, false);
        blocks.add(2, false);
        blocks.add(3, false);
        assertEquals(3, blocks.contiguous());

        blocks.add(4, false);
        assertEquals(9, blocks.contiguous(), "the gap closed: everything it heard before counts");
        assertTrue(blocks.complete());
        assertEquals(9, blocks.count());
    }

    @Test
    void aBlockHeardTwiceIsADuplicate() {
        BlockSet blocks = new BlockSet();

        assertTrue(blocks.add(7, false));
        assertFalse(blocks.add(7, false));
        assertEquals(1, blocks.count());
        assertTrue(blocks.holds(7));
        assertFalse(blocks.holds(6));
    }

    @Test
    void aFileOfWholeBlocksEndsWithAnEmptyOne() {
        BlockSet blocks = new BlockSet();
        blocks.add(1, false);
        blocks.add(2, false);
        assertFalse(blocks.complete());

        blocks.add(3, true);
        assertTrue(blocks.complete());
    }

    @Test
    void theMostBlocksMtftpNumbersFit() {
        BlockSet blocks = new BlockSet();
        for (int block = 1; block <= 65_535; block++) {
            blocks.add(block, block == 65_535);
        }

        assertTrue(blocks.complete());
        assertEquals(65_535, blocks.contiguous());
    }

    @Test
    void blockZeroIsNoDataBlock() {
        assertThrows(IllegalArgumentException.class, () -> new BlockSet().add(0, false));
    }
}
