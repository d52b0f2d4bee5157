// Which SIMD path the kernels take: the best the CPU supports, found at run time (never
// -march=native).
#include "kernel_path.h"

ip_kernel_path ip_best_path(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512dq")) return IP_PATH_AVX512_VNNI;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return IP_PATH_AVX2;
    return IP_PATH_SCALAR;
}

const char *ip_path_name(ip_kernel_path path) {
    switch (path) {
    case IP_PATH_AVX512_VNNI: return "avx512-vnni";
    case IP_PATH_AVX2: return "avx2";
    case IP_PATH_SCALAR: return "scalar";
    default: return "auto";
    }
}
