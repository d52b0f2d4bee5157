// The CFP4 module: FP4 formats (the scalar reference) and the fast kernels.
#include "fp4_formats.h"
#include "fp4_kernels.h"
#include "decode_attention.h"
#include "transformer_ops.h"
