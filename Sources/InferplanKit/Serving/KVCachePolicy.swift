/// How a replica hands out KV-cache blocks.
public enum KVCachePolicy: String, CaseIterable, Sendable {
    /// vLLM's PagedAttention: blocks are allocated as tokens arrive; a prompt is admitted when its
    /// first chunk's blocks fit above a watermark; when decodes run out of blocks the most recently
    /// admitted sequence is preempted and later recomputed.
    case paged
    /// TensorRT-LLM's guaranteed-no-evict: a request is admitted only when blocks for its prompt and
    /// all its output can be reserved, so nothing is ever preempted.
    case reserve
}
