#ifndef INFERPLAN_CGSL_SHIM_H
#define INFERPLAN_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_cdf.h>

// Swift 6 rejects GSL's exported mutable globals as not concurrency-safe, so each one is reached
// through an accessor function instead (../shared/reference/swift-notes.md).
static inline const gsl_rng_type *inferplan_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_multifit_nlinear_type *inferplan_gsl_multifit_nlinear_trust(void) {
    return gsl_multifit_nlinear_trust;
}

#endif
