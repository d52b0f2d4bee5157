import CGSL

/// GSL's default error handler calls abort(); switch it off once so errors come back as codes.
enum GSLSetup {
    private static let done: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    static func once() { _ = done }
}
