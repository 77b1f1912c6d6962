using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LieGG.Dsl.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace LieGG.Dsl.Generators.Emit;

/// <summary>The study part of a generated file: the typed Trial record, the grid, SpecFor, Run and Merge.</summary>
internal static class StudyEmitter
{
    private const string Studies = "global::LieGG.Runtime.Studies";
    private const string Experiments = "global::LieGG.Runtime.Experiments";
    private const string Results = "global::LieGG.Runtime.Results";
    private const string Orchestration = "global::LieGG.Runtime.Orchestration";

    /// <summary>Trial member name of a sweep: the property, or Attribute + Property where names would clash.</summary>
    public static string MemberName(StudyModel study, SweepModel sweep)
        => Parsing.TrialMemberNames.Of(sweep.Attribute, sweep.Property, study.Sweeps.Select(s => s.Property));

    public static void EmitMembers(SourceWriter w, ExperimentModel model, StudyModel study)
    {
        string name = SymbolDisplay.FormatLiteral(model.ExperimentName, quote: true);
        var members = study.Sweeps.Select(s => (Sweep: s, Member: MemberName(study, s))).ToList();

        if (study.IsComparison) EmitComparisonGrid(w, model, study, name);
        else EmitSweepGrid(w, model, study, name, members);

        w.Line("/// <summary>Published figures printed beside the results, from [Study(Reference = …)].</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static string? Reference => {(study.Reference is null ? "null" : SymbolDisplay.FormatLiteral(study.Reference, quote: true))};");
        w.Line();
        w.Line("/// <summary>Metric pairs the study report correlates.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<(global::LieGG.Dsl.Metric X, global::LieGG.Dsl.Metric Y)> Correlations {{ get; }} = {ArrayOf("(global::LieGG.Dsl.Metric, global::LieGG.Dsl.Metric)", study.Correlations.Select(c => $"(global::LieGG.Dsl.Metric.{c.X}, global::LieGG.Dsl.Metric.{c.Y})"))};");
        w.Line();
        w.Line("/// <summary>The declared figures of the study report.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<{Studies}.StudyPlot> Plots {{ get; }} = {ArrayOf($"{Studies}.StudyPlot", study.Plots.Select(Plot))};");
        w.Line();
        w.Line("/// <summary>The study's trials as the runtime runs them.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<{Studies}.StudyTrial> StudyTrials => global::System.Linq.Enumerable.ToList(global::System.Linq.Enumerable.Select(Trials, static t => new {Studies}.StudyTrial(t.Info, t.Spec)));");
        w.Line();
        string trialParameters = $"{Experiments}.ExperimentRunOptions? options = null, global::System.IProgress<{Orchestration}.ExperimentProgress>? progress = null, global::System.Threading.CancellationToken cancellationToken = default";
        w.Line("/// <summary>Trains and analyses one trial (with its own seed); writes nothing.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static {Results}.ExperimentResult RunTrial(Trial trial, {trialParameters}) => {Orchestration}.ExperimentRunner.Run(trial.Spec, (options ?? new {Experiments}.ExperimentRunOptions()) with {{ Seed = trial.Seed }}, progress, cancellationToken);");
        w.Line();
        w.Line("/// <summary>Trains and analyses one trial off the calling thread.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static global::System.Threading.Tasks.Task<{Results}.ExperimentResult> RunTrialAsync(Trial trial, {trialParameters}) => global::System.Threading.Tasks.Task.Run(() => RunTrial(trial, options, progress, cancellationToken), cancellationToken);");
        w.Line();
        w.Line("/// <summary>Runs the trials (of one shard) off the calling thread, skipping those already finished.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static global::System.Threading.Tasks.Task<{Orchestration}.StudyRunSummary> RunAsync({Studies}.StudyRunOptions options, global::System.IProgress<{Orchestration}.StudyProgress>? progress = null, global::System.Threading.CancellationToken cancellationToken = default) => global::System.Threading.Tasks.Task.Run(() => Run(options, progress, cancellationToken), cancellationToken);");
        w.Line();
        w.Line("/// <summary>Runs the trials (of one shard), skipping those already finished in <c>options.Output</c>.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static {Orchestration}.StudyRunSummary Run({Studies}.StudyRunOptions options, global::System.IProgress<{Orchestration}.StudyProgress>? progress = null, global::System.Threading.CancellationToken cancellationToken = default) => {Orchestration}.StudyRunner.Run(StudyTrials, options, progress, cancellationToken);");
        w.Line();
        w.Line("/// <summary>Reads every finished trial under <paramref name=\"output\"/> (all shards) into the study result.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Line($"public static {model.ResultTypeName} Merge(string output) => new({Results}.StudyResult.FromRecords({name}, Trials.Count, {Orchestration}.StudyRunner.LoadTrials({Orchestration}.StudyRunner.StudyFolder(output, {name})), Correlations, Reference));");
    }

    private static void EmitSweepGrid(SourceWriter w, ExperimentModel model, StudyModel study, string name, List<(SweepModel Sweep, string Member)> members)
    {
        w.Line("/// <summary>One point of the study grid: the swept values and the replicate's seed.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open($"public sealed record Trial(int Index, {string.Concat(members.Select(m => $"{m.Sweep.PropertyType} {m.Member}, "))}int Seed)");
        w.Line("/// <summary>The experiment spec with this trial's values.</summary>");
        w.Line($"public {Experiments}.ExperimentSpec Spec => SpecFor(this);");
        w.Line();
        w.Line($"public {Studies}.TrialInfo Info => new({name}, Index, new {Studies}.TrialParameter[]");
        w.Line("{");
        foreach (var (sweep, member) in members)
            w.Line(sweep.IsNumeric
                ? $"    new({SymbolDisplay.FormatLiteral(member, quote: true)}, {member}.ToString(global::System.Globalization.CultureInfo.InvariantCulture), {member}),"
                : $"    new({SymbolDisplay.FormatLiteral(member, quote: true)}, {member}.ToString(), null),");
        w.Line("}, Seed);");
        w.Close();
        w.Line();

        w.Line("/// <summary>The full grid in a fixed order: sweeps in declaration order (the last varies fastest), replicate seeds innermost.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open($"public static global::System.Collections.Generic.IReadOnlyList<Trial> Trials {{ get; }} = new Trial[]");
        int baseSeed = model.Train?.Find("Seed")?.Value.AsInt ?? 0;
        int index = 0;
        foreach (var combination in Cartesian(study.Sweeps.Select(s => s.Values.Select(CSharp.Literal).ToList()).ToList()))
        for (int replicate = 0; replicate < study.Replicates; replicate++)
            w.Line($"new({index++}, {string.Concat(combination.Select(v => v + ", "))}{baseSeed + replicate}),");
        w.Close(";");
        w.Line();

        w.Line("/// <summary>The declared spec with a trial's swept values and seed.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open($"public static {Experiments}.ExperimentSpec SpecFor(Trial trial) => new {Experiments}.ExperimentSpec");
        var substitutions = members.ToDictionary(m => (m.Sweep.Attribute, m.Sweep.Property), m => $"trial.{m.Member}");
        substitutions[("Train", "Seed")] = "trial.Seed";
        ExperimentEmitter.SpecMembers(w, model, key => substitutions.TryGetValue(key, out var expression) ? expression : null);
        w.Close(";");
        w.Line();
    }

    /// <summary>A comparison study: each compared experiment × replicate seeds, each with its own declared seed first.</summary>
    private static void EmitComparisonGrid(SourceWriter w, ExperimentModel model, StudyModel study, string name)
    {
        w.Line("/// <summary>One trial: a compared experiment and the replicate's seed.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open("public sealed record Trial(int Index, string Experiment, int Seed)");
        w.Line("/// <summary>The compared experiment's spec with this trial's seed.</summary>");
        w.Line($"public {Experiments}.ExperimentSpec Spec => SpecFor(this);");
        w.Line();
        w.Line($"public {Studies}.TrialInfo Info => new({name}, Index, new {Studies}.TrialParameter[] {{ new(\"Experiment\", Experiment, null) }}, Seed);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Every compared experiment × replicate seeds, in declaration order.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open("public static global::System.Collections.Generic.IReadOnlyList<Trial> Trials { get; } = new Trial[]");
        int index = 0;
        foreach (var compared in study.Compared)
        for (int replicate = 0; replicate < study.Replicates; replicate++)
            w.Line($"new({index++}, {SymbolDisplay.FormatLiteral(compared.Name, quote: true)}, {compared.Type}.Spec.Training.Seed + {replicate}),");
        w.Close(";");
        w.Line();
        w.Line("/// <summary>The compared experiment's declared spec with the trial's seed.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open($"public static {Experiments}.ExperimentSpec SpecFor(Trial trial)");
        w.Open("var spec = trial.Experiment switch");
        foreach (var compared in study.Compared)
            w.Line($"{SymbolDisplay.FormatLiteral(compared.Name, quote: true)} => {compared.Type}.Spec,");
        w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(trial), trial.Experiment, \"Not an experiment of this study.\"),");
        w.Close(";");
        w.Line("return spec with { Training = spec.Training with { Seed = trial.Seed } };");
        w.Close();
        w.Line();
    }

    private static string ArrayOf(string elementType, IEnumerable<string> elements)
    {
        var list = elements.ToList();
        return list.Count == 0 ? $"global::System.Array.Empty<{elementType}>()" : $"new {elementType}[] {{ {string.Join(", ", list)} }}";
    }

    private static string Plot(PlotModel plot)
        => $"new({SymbolDisplay.FormatLiteral(plot.X, quote: true)}, global::LieGG.Dsl.Metric.{plot.Y}, {(plot.Series is null ? "null" : SymbolDisplay.FormatLiteral(plot.Series, quote: true))}, {(plot.LogX ? "true" : "false")}, {(plot.LogY ? "true" : "false")})";

    public static void EmitResult(SourceWriter w, ExperimentModel model)
    {
        w.Line($"/// <summary>The merged result of study <see cref=\"{model.TypeName}\"/>: one row per finished trial, with its typed parameters.</summary>");
        w.Line(ExperimentEmitter.GeneratedCode);
        w.Open($"{model.Accessibility} sealed record {model.ResultTypeName}({Results}.StudyResult Raw)");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<({model.TypeName}.Trial Trial, {Results}.TrialRow Row)> Rows => global::System.Linq.Enumerable.ToList(global::System.Linq.Enumerable.Select(Raw.Rows, static r => ({model.TypeName}.Trials[r.Trial.Index], r)));");
        w.Line();
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<{Results}.CorrelationRow> Correlations => Raw.Correlations;");
        w.Line();
        w.Line("public bool IsComplete => Raw.IsComplete;");
        w.Close();
    }

    private static IEnumerable<IReadOnlyList<string>> Cartesian(IReadOnlyList<List<string>> lists)
    {
        IEnumerable<IReadOnlyList<string>> result = new[] { (IReadOnlyList<string>)new List<string>() };
        foreach (var list in lists)
            result = result.SelectMany(prefix => list.Select(value => (IReadOnlyList<string>)prefix.Concat(new[] { value }).ToList())).ToList();
        return result;
    }
}
