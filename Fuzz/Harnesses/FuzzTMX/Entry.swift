// A second source file, so that SwiftPM compiles the harness as a library-style module whose
// entry point is the `@_cdecl("FuzzTMX_main")` function rather than top-level code.
