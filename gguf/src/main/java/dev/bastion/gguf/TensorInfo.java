package dev.bastion.gguf;

/**
 * One tensor's entry in the header.
 *
 * @param dims   shape, innermost (row length) first, as ggml numbers them
 * @param offset byte offset relative to the start of the tensor data section
 * @param bytes  size of the tensor data
 */
public record TensorInfo(String name, long[] dims, GgmlType type, long offset, long bytes) {

    public long elements() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }
}
