import Foundation
import Yams

/// Draws case N of a seed: the kind, then the input and its mutation. Only the seed and N decide
/// it, so any case of a long run can be replayed alone.
struct CaseGenerator {
    /// Scenario files as shipped, with relative references made absolute (cases run elsewhere).
    let scenarios: [(name: String, text: String)]
    let trace: String
    let trainingRows: (header: String, offline: [String])
    /// The fixture: two shard folders of a four-point sweep and their merged folder.
    let fixture: Fixture
    let seed: UInt64

    struct Fixture {
        var shards: [String]
        var merged: String
        var points: Int
    }

    /// How often each kind is drawn (out of 100).
    static let weights: [(FuzzCase.Kind, Int)] = [
        (.scenarioTree, 30), (.scenarioBytes, 8), (.set, 16), (.trace, 8), (.sweep, 7), (.merge, 7),
        (.report, 5), (.scale, 7), (.validate, 3), (.ioFault, 9),
    ]

    init(root: String, fixture: Fixture, seed: UInt64) throws {
        let folder = root + "/Scenarios"
        scenarios = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted().map { name in
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                .replacingOccurrences(of: "trace: traces/", with: "trace: \(folder)/traces/")
                .replacingOccurrences(of: "gpu: ../Calibration/", with: "gpu: \(root)/Calibration/")
            return (name, text)
        }
        trace = try String(contentsOfFile: folder + "/traces/synthetic-bursty.csv", encoding: .utf8)
        let csv = try String(contentsOfFile: root + "/../shared/validation/mlperf-train.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        trainingRows = (csv[0], csv.dropFirst().filter { $0.contains(",offline,") })
        self.fixture = fixture
        self.seed = seed
    }

    func make(_ number: Int) -> FuzzCase {
        var random = FuzzRandom(seed: seed &* 0x1000_0000_01B3 &+ UInt64(number))
        var draw = Int.random(in: 0..<100, using: &random)
        var kind = FuzzCase.Kind.scenarioTree
        for (candidate, weight) in Self.weights {
            if draw < weight { kind = candidate; break }
            draw -= weight
        }
        switch kind {
        case .scenarioTree: return scenarioTree(number, &random)
        case .scenarioBytes: return scenarioBytes(number, &random)
        case .set: return setCase(number, &random)
        case .trace: return traceCase(number, &random)
        case .sweep: return sweepCase(number, &random)
        case .merge: return mergeCase(number, &random)
        case .report: return reportCase(number, &random)
        case .scale: return scaleCase(number, &random)
        case .validate: return validateCase(number, &random)
        case .ioFault: return ioFaultCase(number, &random)
        }
    }

    // MARK: - run

    private func scenarioTree(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let base = random.pick(scenarios)
        let (text, what) = Mutations.tree(base.text, using: &random)
        return FuzzCase(number: number, kind: .scenarioTree, what: "\(base.name): \(what)", files: ["s.yaml": text],
                        arguments: ["run", "{dir}/s.yaml", "--format", "json"], check: .runReport)
    }

    private func scenarioBytes(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let base = random.pick(scenarios)
        let (text, what) = Mutations.text(base.text, using: &random)
        return FuzzCase(number: number, kind: .scenarioBytes, what: "\(base.name): \(what)", files: ["s.yaml": text],
                        arguments: ["run", "{dir}/s.yaml", "--format", "json"], check: .runReport)
    }

    private func setCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let base = random.pick(scenarios)
        var arguments = ["run", "{dir}/s.yaml", "--format", "json"]
        var sets: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            // At most 100,000 characters: Linux refuses a longer single argument (MAX_ARG_STRLEN).
            let set = random.chance(0.25) ? random.pick(Values.validOverrides)
                : "\(random.pick(Values.keyPaths))=\(Values.replacement(for: "8", using: &random).prefix(100_000))"
            sets.append(set)
            arguments += ["--set", set]
        }
        if random.chance(0.1) { arguments.append("--find-max-qps") }
        return FuzzCase(number: number, kind: .set, what: "\(base.name): " + sets.map { "--set \($0.prefix(60))" }.joined(separator: " "),
                        files: ["s.yaml": base.text], arguments: arguments, check: .runReport)
    }

    private func traceCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let scenario = scenarios.first { $0.name.contains("trace") }!.text
            .replacingOccurrences(of: #"trace: \S+"#, with: "trace: trace.csv", options: .regularExpression)
        var lines = trace.split(separator: "\n").map(String.init)
        var what: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let row = Int.random(in: 0..<lines.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                var cells = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let column = Int.random(in: 0..<max(1, cells.count), using: &random)
                if cells.isEmpty { cells = [""] }
                cells[column] = random.pick(["0", "-1", "1e308", "nan", "inf", "9223372036854775807", "2.5", "", "x", "1e6", "200000"])
                lines[row] = cells.joined(separator: ",")
                what.append("line \(row + 1) column \(column + 1) = \(cells[column])")
            case 1:
                lines.remove(at: row)
                what.append("line \(row + 1) removed")
            case 2:
                lines.insert(random.pick(["1,2", "1,2,3,4", ",,", "garbage", "0.0,1,1", "-5,10,10"]), at: row)
                what.append("odd line at \(row + 1)")
            case 3:
                lines = Array(lines.prefix(random.pick([0, 1, 2])))
                what.append("cut to \(lines.count) lines")
            case 4:
                lines.swapAt(row, Int.random(in: 0..<lines.count, using: &random))
                what.append("lines swapped (arrivals out of order)")
            default:
                let scale = random.pick(["0", "-1", "1e-9", "1e9", ".nan"])
                return FuzzCase(number: number, kind: .trace, what: "trace_time_scale \(scale)",
                                files: ["s.yaml": scenario.replacingOccurrences(of: #"trace_time_scale: \S+"#, with: "trace_time_scale: \(scale)", options: .regularExpression),
                                        "trace.csv": trace],
                                arguments: ["run", "{dir}/s.yaml", "--format", "json"], check: .runReport)
            }
            if lines.isEmpty { break }
        }
        return FuzzCase(number: number, kind: .trace, what: what.joined(separator: "; "),
                        files: ["s.yaml": scenario, "trace.csv": lines.joined(separator: "\n") + "\n"],
                        arguments: ["run", "{dir}/s.yaml", "--format", "json"], check: .runReport)
    }

    // MARK: - sweep, merge, report

    private func sweepCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        var text = "name: fuzz\n"
        let base = random.pick(scenarios.filter { !$0.name.contains("host") })
        var files = ["base.yaml": base.text]
        text += "base: base.yaml\nmode: grid\naxes:\n"
        var points = 1
        var what: [String] = []
        for _ in 0..<Int.random(in: 1...2, using: &random) {
            let key = random.chance(0.7) ? random.pick(["workload.seed", "hardware.gpu", "precision.weights", "serving.scheduler", "hardware.nodes"])
                : random.pick(Values.keyPaths)
            let values = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                random.chance(0.5) ? random.pick(["1", "2", "b200", "fp8", "nvfp4", "continuous", "mi300x"]) : Values.replacement(for: "2", using: &random)
            }
            guard !text.contains("  \(key):") else { continue }
            text += "  \(key): [\(values.map { $0.count > 200 ? "long" : $0 }.joined(separator: ", "))]\n"
            points *= values.count
            what.append("\(key): \(values.count) values")
        }
        var expected = points
        if random.chance(0.35) {
            let (mutated, change) = Mutations.tree(text, using: &random)
            text = mutated
            what.append(change)
            expected = -1
        }
        files["sweep.yaml"] = text
        var sweep = FuzzCase(number: number, kind: .sweep, what: "\(base.name): " + what.joined(separator: "; "), files: files,
                             arguments: ["sweep", "{dir}/sweep.yaml", "--output", "{dir}/out", "--jobs", "1"],
                             check: .results(folder: "out", points: expected))
        sweep.runs = points
        return sweep
    }

    /// A journal line edit for merge and report cases.
    private func journalEdit(_ path: String, _ random: inout FuzzRandom) -> (edit: (String) -> String, what: String) {
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return ({ $0 + "garbage line\n" }, "\(path): a garbage line")
        case 1:
            let cut = Int.random(in: 1...20, using: &random)
            return ({ String($0.dropLast(cut)) }, "\(path): last \(cut) characters cut")
        case 2: return ({ $0.replacingOccurrences(of: "\"point\":0", with: "\"point\":-1") }, "\(path): point -1")
        case 3: return ({ $0.replacingOccurrences(of: "\"point\":1", with: "\"point\":99") }, "\(path): point 99")
        case 4: return ({ _ in "" }, "\(path): emptied")
        case 5: return ({ $0.replacingOccurrences(of: "\"output_tokens_per_s\":", with: "\"output_tokens_per_s\":1e999,\"x\":") }, "\(path): a figure of 1e999")
        default: return ({ $0 }, "unchanged")
        }
    }

    private func mergeCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        var folders = ["{dir}/s1", "{dir}/s2"]
        var what: [String] = []
        var files: [String: String] = [:]
        var arguments = ["merge"]
        var expected = fixture.points
        switch Int.random(in: 0..<8, using: &random) {
        case 0: folders.removeLast(); what.append("one shard missing")
        case 1: folders.append("{dir}/s1"); what.append("a shard twice")
        case 2:
            let shard = random.pick(["s1", "s2"])
            let file = shard == "s1" ? "results.shard-1-of-2.jsonl" : "results.shard-2-of-2.jsonl"
            let original = (try? String(contentsOfFile: fixture.shards[shard == "s1" ? 0 : 1] + "/" + file, encoding: .utf8)) ?? ""
            let (edit, change) = journalEdit(file, &random)
            files["\(shard)/\(file)"] = edit(original)
            what.append("\(shard): \(change)")
            expected = -1
        case 3:
            files["s1/results.shard-1-of-2.manifest.json"] = random.pick(["", "{", "{\"sweep\":\"other\"}", "garbage"])
            what.append("s1: manifest broken")
        case 4:
            files["merged/results.csv"] = "precious\n"
            what.append("output holds a results.csv")
            if random.chance(0.5) { arguments.append("--force"); what.append("--force") }
        case 5: folders.append("{dir}/nonexistent"); what.append("a folder that does not exist")
        case 6: folders = ["{dir}/s1"]; arguments.append("--allow-incomplete"); what.append("--allow-incomplete with one shard"); expected = -1
        default: what.append("as written")
        }
        return FuzzCase(number: number, kind: .merge, what: what.joined(separator: "; "), files: files,
                        copies: ["s1": fixture.shards[0], "s2": fixture.shards[1]],
                        arguments: arguments + folders + ["--output", "{dir}/merged"], check: .results(folder: "merged", points: expected))
    }

    private func reportCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let original = (try? String(contentsOfFile: fixture.merged + "/results.jsonl", encoding: .utf8)) ?? ""
        let (edit, change) = journalEdit("results.jsonl", &random)
        var files = ["r/results.jsonl": edit(original)]
        var what = [change]
        if random.chance(0.2) { files["r/results.manifest.json"] = "garbage"; what.append("manifest garbage") }
        let target = random.chance(0.15) ? "{dir}/r" : "{dir}/page.html"
        if target == "{dir}/r" { what.append("--html names the results folder") }
        return FuzzCase(number: number, kind: .report, what: what.joined(separator: "; "), files: files, copies: ["r": fixture.merged],
                        arguments: ["report", "{dir}/r", "--html", target], check: .file("page.html"))
    }

    // MARK: - scale, validate, I/O

    private func scaleCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let base = random.pick(scenarios.filter { !$0.name.contains("host") && !$0.name.contains("server") && !$0.name.contains("interactive") })
        let nodes = random.pick(["", "0", "-1", "1", "1,2", "2,1", "1...3", "3...1", "1,,2", "a", "1e9", "10001", "100000", "1...2,4",
                                 "9223372036854775808", " 1", "1..2", "1...", "...3", ",", "12"])
        var arguments = ["scale", "{dir}/s.yaml", "--nodes", nodes, "--format", "json"]
        var what = "\(base.name): --nodes '\(nodes)'"
        if random.chance(0.3) {
            let set = "\(random.pick(Values.keyPaths))=\(Values.replacement(for: "4", using: &random).prefix(100_000))"
            arguments += ["--set", set]
            what += " --set \(set.prefix(60))"
        }
        var scale = FuzzCase(number: number, kind: .scale, what: what, files: ["s.yaml": base.text], arguments: arguments, check: .scaleReport)
        scale.runs = max(1, nodes.split(separator: ",").count)
        return scale
    }

    private func validateCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        var row = random.pick(trainingRows.offline).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var what = "one Offline row"
        if random.chance(0.8) {
            let column = Int.random(in: 0..<row.count, using: &random)
            row[column] = random.pick(["", "0", "-1", "nan", "1e308", "x", "h999", "fp3", "v9.9", "9223372036854775808", "\"a,b\""])
            what += ", column \(column + 1) = \(row[column])"
        }
        return FuzzCase(number: number, kind: .validate, what: what, files: ["rows.csv": trainingRows.header + "\n" + row.joined(separator: ",") + "\n"],
                        arguments: ["validate", "{dir}/rows.csv", "--jobs", "1", "--format", "json"])
    }

    private func ioFaultCase(_ number: Int, _ random: inout FuzzRandom) -> FuzzCase {
        let scenario = scenarios.first { $0.name == "default.yaml" }!.text
        let files = ["s.yaml": scenario, "exists.json": "precious"]
        let run = ["run", "{dir}/s.yaml", "--set", "workload.samples=200"]
        let choices: [(String, [String], FuzzCase.Output)] = [
            ("run > /dev/full", run, .devFull),
            ("run >&-", run, .closed),
            ("run --format json > /dev/full", run + ["--format", "json"], .devFull),
            ("run --output in /sys", run + ["--output", "/sys/inferplan-fuzz.json"], .file),
            ("run --output an existing file", run + ["--output", "{dir}/exists.json"], .file),
            ("run --output a folder --force", run + ["--output", "{dir}", "--force"], .file),
            ("run --output in a missing folder", run + ["--output", "{dir}/no/such/folder/r.json"], .file),
            ("scale > /dev/full", ["scale", "{dir}/s.yaml", "--nodes", "1", "--set", "workload.samples=200"], .devFull),
            ("catalog >&-", ["catalog"], .closed),
            ("catalog > /dev/full", ["catalog"], .devFull),
            ("sweep --output in /sys", ["sweep", "{dir}/sweep.yaml", "--output", "/sys/inferplan-fuzz/out"], .file),
            ("merge --output in /sys", ["merge", "{dir}/s1", "{dir}/s2", "--output", "/sys/inferplan-fuzz"], .file),
            ("merge --output under a file", ["merge", "{dir}/s1", "{dir}/s2", "--output", "{dir}/exists.json/m"], .file),
            ("report --html in /sys", ["report", "{dir}/s1", "--html", "/sys/inferplan-fuzz.html"], .file),
        ]
        let (what, arguments, output) = random.pick(choices)
        var all = files
        all["sweep.yaml"] = "base: s.yaml\naxes:\n  workload.seed: [1, 2]\n"
        return FuzzCase(number: number, kind: .ioFault, what: what, files: all,
                        copies: ["s1": fixture.shards[0], "s2": fixture.shards[1]], arguments: arguments, output: output)
    }
}
