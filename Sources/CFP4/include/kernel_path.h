// The SIMD path a kernel takes. Paths are chosen at run time from the CPU's features (never
// -march=native); a path can be forced for testing.
#ifndef INFERPLAN_KERNEL_PATH_H
#define INFERPLAN_KERNEL_PATH_H

typedef enum {
    IP_PATH_AUTO = 0,
    IP_PATH_SCALAR = 1,
    IP_PATH_AVX2 = 2,
    IP_PATH_AVX512_VNNI = 3,
} ip_kernel_path;

/// The best path this CPU supports.
ip_kernel_path ip_best_path(void);
const char *ip_path_name(ip_kernel_path path);

#endif
