import CGSL

/// Nonlinear least squares with GSL's trust-region Levenberg-Marquardt solver
/// (`gsl_multifit_nlinear`), Jacobian by finite differences.
public enum LeastSquares {
    public struct Fit: Sendable {
        public var parameters: [Double]
        /// One standard error per parameter, from the covariance scaled by the residual variance.
        public var standardErrors: [Double]
        public var residuals: [Double]
        public var iterations: Int
        /// sqrt(mean of squared residuals).
        public var rms: Double
    }

    /// Minimises the sum of squares of `residuals(parameters)` starting from `initial`.
    ///
    /// `residuals` must return the same count (at least `initial.count`) on every call.
    /// `step` is the relative finite-difference step; simulations need a coarser one than the
    /// default sqrt(epsilon) because their outputs are only piecewise smooth.
    public static func fit(initial: [Double], step: Double = 1e-3, maxIterations: Int = 50,
                           residuals: @escaping ([Double]) -> [Double]) throws -> Fit {
        GSLSetup.once()
        let p = initial.count
        let n = residuals(initial).count
        guard n >= p, p > 0 else { throw FitError.tooFewResiduals(n: n, parameters: p) }

        let context = Context(residuals: residuals, count: n)
        let contextPointer = Unmanaged.passRetained(context).toOpaque()
        defer { Unmanaged<Context>.fromOpaque(contextPointer).release() }

        var settings = gsl_multifit_nlinear_default_parameters()
        settings.h_df = step
        guard let workspace = gsl_multifit_nlinear_alloc(inferplan_gsl_multifit_nlinear_trust(), &settings, n, p) else {
            throw FitError.solver("could not allocate the solver")
        }
        defer { gsl_multifit_nlinear_free(workspace) }

        var fdf = gsl_multifit_nlinear_fdf()
        fdf.f = { x, params, f in
            guard let x, let params, let f else { return Int32(GSL_EINVAL) }
            let context = Unmanaged<Context>.fromOpaque(params).takeUnretainedValue()
            let point = (0..<x.pointee.size).map { gsl_vector_get(x, $0) }
            let values = context.residuals(point)
            guard values.count == context.count, values.allSatisfy({ $0.isFinite }) else { return Int32(GSL_EDOM) }
            for (index, value) in values.enumerated() { gsl_vector_set(f, index, value) }
            return Int32(GSL_SUCCESS)
        }
        fdf.df = nil
        fdf.fvv = nil
        fdf.n = n
        fdf.p = p
        fdf.params = contextPointer

        let start = gsl_vector_alloc(p)!
        defer { gsl_vector_free(start) }
        for (index, value) in initial.enumerated() { gsl_vector_set(start, index, value) }
        var status = gsl_multifit_nlinear_init(start, &fdf, workspace)
        guard status == GSL_SUCCESS else { throw FitError.solver(String(cString: gsl_strerror(status))) }
        var info: Int32 = 0
        status = gsl_multifit_nlinear_driver(maxIterations, 1e-8, 1e-8, 1e-8, nil, nil, &info, workspace)
        guard status == GSL_SUCCESS || status == GSL_EMAXITER else { throw FitError.solver(String(cString: gsl_strerror(status))) }

        let position = gsl_multifit_nlinear_position(workspace)!
        let residualVector = gsl_multifit_nlinear_residual(workspace)!
        let parameters = (0..<p).map { gsl_vector_get(position, $0) }
        let finalResiduals = (0..<n).map { gsl_vector_get(residualVector, $0) }
        let sumSquares = finalResiduals.reduce(0) { $0 + $1 * $1 }

        let covariance = gsl_matrix_alloc(p, p)!
        defer { gsl_matrix_free(covariance) }
        gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(workspace), 0, covariance)
        let variance = n > p ? sumSquares / Double(n - p) : 0
        let errors = (0..<p).map { (gsl_matrix_get(covariance, $0, $0) * variance).squareRoot() }

        return Fit(parameters: parameters, standardErrors: errors, residuals: finalResiduals,
                   iterations: Int(gsl_multifit_nlinear_niter(workspace)),
                   rms: (sumSquares / Double(n)).squareRoot())
    }

    private final class Context {
        let residuals: ([Double]) -> [Double]
        let count: Int
        init(residuals: @escaping ([Double]) -> [Double], count: Int) {
            self.residuals = residuals
            self.count = count
        }
    }
}

public enum FitError: Error, CustomStringConvertible {
    case tooFewResiduals(n: Int, parameters: Int)
    case solver(String)

    public var description: String {
        switch self {
        case let .tooFewResiduals(n, parameters): return "\(n) data points cannot fit \(parameters) parameters"
        case let .solver(message): return "least-squares solver failed: \(message)"
        }
    }
}
