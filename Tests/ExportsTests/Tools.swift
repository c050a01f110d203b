import Foundation
import Testing
import TestSupport

/// Runs the real outside tools the tests check exports with: Python's `jsonschema` and the
/// `sqlite3` CLI's CSV importer.
enum Tools {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Output {
        let output = try Subprocess.run(path: executable, arguments, input: input.map { Data($0.utf8) })
        return Output(status: output.status, stdout: output.stdoutText, stderr: output.stderrText)
    }

    static let schemaPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schema/export.schema.json").path

    /// Validates a JSON export (`json`) or each line of an NDJSON export (`ndjson`, against the
    /// schema's entry definition) with Python's `jsonschema`. Returns the validator's complaints.
    static func schemaErrors(_ data: Data, mode: String) throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-schema-\(UUID().uuidString).json")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("Python's jsonschema is not installed: pip install jsonschema"); sys.exit(2)
            schema_path, mode, path = sys.argv[1:4]
            schema = json.load(open(schema_path, encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
            if mode == "ndjson":
                schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/entry"}
                docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
            else:
                docs = [json.load(open(path, encoding="utf-8"))]
            validator = jsonschema.Draft202012Validator(schema)
            errors = [f"{list(e.absolute_path)}: {e.message}" for d in docs for e in validator.iter_errors(d)]
            print("\\n".join(errors) if errors else "valid")
            sys.exit(1 if errors else 0)
            """
        let output = try run("/usr/bin/env", ["python3", "-c", script, schemaPath, mode, file.path])
        return output.status == 0 ? nil : (output.stdout + output.stderr)
    }

    /// Imports a CSV file with the `sqlite3` CLI and returns its rows as the CLI's JSON mode
    /// prints them: one object per row, keyed by the header row.
    static func sqliteImport(csv path: String) throws -> [[String: String]] {
        let commands = ".import --csv \(path) t\n.mode json\nSELECT * FROM t;\n"
        let output = try run("/usr/bin/env", ["sqlite3", ":memory:"], input: commands)
        guard output.status == 0, output.stderr.isEmpty else {
            throw ToolError(message: "sqlite3 .import failed: \(output.stderr)")
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        guard let rows = parsed as? [[String: Any]] else { throw ToolError(message: "sqlite3 printed \(output.stdout)") }
        return rows.map { row in row.mapValues { "\($0)" } }
    }

    struct ToolError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
