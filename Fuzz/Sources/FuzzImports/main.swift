import Foundation
import FuzzDriver

// libFuzzer parses its own flags from the command line and calls `fuzzImports` per input.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzImports(data, size) }
exit(status)
