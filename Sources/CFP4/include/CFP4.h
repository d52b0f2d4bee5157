// The CFP4 module, one header per concept: FP4 formats (the scalar reference), the SIMD path,
// the FP4 GEMMs, decode attention, element-wise operators, and the machine probes.
#include "fp4_formats.h"
#include "kernel_path.h"
#include "fp4_gemm.h"
#include "decode_attention.h"
#include "transformer_ops.h"
#include "machine_probes.h"
