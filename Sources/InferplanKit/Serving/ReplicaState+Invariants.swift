extension ReplicaState {
    /// Checks the bookkeeping in debug builds; compiled out of release builds.
    @inline(__always)
    func checkInvariants() {
        #if DEBUG
        assert(usedBlocks >= 0 && usedBlocks <= capacityBlocks, "KV blocks in use \(usedBlocks) exceed capacity \(capacityBlocks)")
        assert(usedTokens >= 0 && usedTokens <= usedBlocks * blockTokens, "cached tokens \(usedTokens) exceed the blocks held \(usedBlocks)")
        assert(policy == .paged || (reservedBlocks <= capacityBlocks && usedBlocks <= reservedBlocks),
               "reservation \(reservedBlocks) / use \(usedBlocks) out of bounds")
        assert(phaseCounts.reduce(0, +) == decodeCount, "phase counts disagree with the decode count")
        assert(decodeCount >= 0 && decodeContextTokens >= 0)
        #endif
    }
}
