using System.CommandLine;
using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Equivariance;
using Spectre.Console;
using TorchSharp;
using static LieGG.Cli.LieGGCommandLine;
using static TorchSharp.torch;

namespace LieGG.Cli;

/// <summary>
/// <c>analyze &lt;run-folder | model-file&gt;</c>: the LieGG analysis of a network that is already trained — a previous run
/// (its saved weights, data and declaration), a safetensors state dict or a TorchScript module — written as a new run
/// folder marked as an analysis. Nothing is trained.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create(IReadOnlyList<ExperimentDescriptor> experiments, IAnsiConsole console, IAnsiConsole errors)
    {
        var source = new Argument<string>("source")
        {
            Description = "A run folder (holding result.json and model.safetensors), a state dict (safetensors, or torch.save: read as data only, tensors and plain containers), " +
                "or a TorchScript file (.pt). A TorchScript file runs its own code, as in PyTorch: analyse only files you would run.",
        };
        var experimentOption = new Option<string?>("--experiment") { Description = "The declared experiment whose data, prior, ground truth (and, for a state dict, architecture) to use; a run folder names its own." };
        var common = new CommonOptions("MNIST IDX files instead of the embedded digits (model files only; a run folder uses its own).",
            $"Smoke-size data as for run --quick (model files only; a run folder uses its own): {QuickRun.Description}.");
        var (output, dataDirectory, quick, threads) = (common.Output, common.DataDirectory, common.Quick, common.Threads);
        var convention = new Option<string?>("--convention") { Description = "Spatial prior coordinates: reference or centered." };
        convention.AcceptOnlyFromAmong("reference", "centered");
        var affine = new Option<bool?>("--affine") { Description = "Spatial prior with translations (true) or without (false)." };
        var groundTruth = new Option<string?>("--ground-truth") { Description = "Compare with so, sl, scaling, co (so + scaling), translations, se2, lorentz, or none." };
        groundTruth.AcceptOnlyFromAmong("so", "sl", "scaling", "co", "translations", "se2", "lorentz", "none");
        var outputRepresentation = new Option<string?>("--output-representation")
        {
            Description = "Also find pairs (A on the input, B on the output) with J·(A x) = B·F: how the group acts on the outputs — vectors (copies of the generic prior's R^n; vectors:C for C copies), " +
                "tensor (an n × n tensor, B ⊗ I + I ⊗ B), or invariant (B = 0, LieGG's own numbers). Replaces the declared one.",
        };
        var pairTruth = new Option<string?>("--pair-truth") { Description = "With an output representation: compare the pairs with the diagonal (h, h) of the ground truth (default) or with (h, 0) (input-only)." };
        pairTruth.AcceptOnlyFromAmong("diagonal", "input-only");
        var outputs = new Option<string?>("--outputs") { Description = "sum (one row per sample) or per-output." };
        outputs.AcceptOnlyFromAmong("sum", "per-output");
        var transform = new Option<string?>("--transform") { Description = "Output transform: l2, none, softmax or log-softmax." };
        transform.AcceptOnlyFromAmong("l2", "none", "softmax", "log-softmax");
        var split = new Option<string?>("--split") { Description = "Inputs of the polarization matrix: train, val, test or all (default: as the dataset's protocol says — train, or all for the LieGG authors' O(5) protocol)." };
        split.AcceptOnlyFromAmong("train", "val", "test", "all");
        var units = new Option<string?>("--units") { Description = "A standardised regression task's units for the test metric and the analysis: task (F = σ·net(x / s) + μ, the default) or standardized (the network inside the scaling)." };
        units.AcceptOnlyFromAmong("task", "standardized");
        var samples = new Option<int?>("--samples") { Description = "Samples in the polarization matrix (0 = all)." };
        var bootstrap = new Option<int?>("--bootstrap") { Description = "Bootstrap resamples for the intervals (0 = none)." };
        var layerWise = new Option<bool?>("--layer-wise") { Description = "Also analyse every hidden layer (MLPs)." };
        var equivariance = new Option<bool>("--equivariance") { Description = "Also measure equivariance layer by layer: each layer's own error and its share of the output's, for discrete elements and along the ground truth's generators and LieGG's H1 (TorchScript modules: end to end only)." };
        var elements = new Option<string?>("--elements") { Description = "With --equivariance: the discrete elements, comma-separated: families (rotations, stride-shifts) and single elements (rot90, rot180, rot270, flip, shift:R;C in input pixels); default: as declared, else rotations,stride-shifts." };
        var exact = new Option<string?>("--exact") { Description = "With --equivariance: elements every layer must keep to round-off (same names as --elements); a layer above the tolerance makes the analysis fail (exit 1) after its report is written, naming the layer." };
        var equivarianceSamples = new Option<int?>("--equivariance-samples") { Description = "With --equivariance: inputs analysed (default 256)." };
        var (prerotated, poolSplits, _) = DataAndAnalysisOptions();
        var inputsOption = new Option<string?>("--inputs") { Description = "Analyse a TorchScript module on these inputs alone (.npy array, or IDX images) instead of an experiment's data; needs --prior." };
        var priorOption = new Option<string?>("--prior") { Description = "How the group acts on the inputs: generic:N (or generic:NxC for C copies of an N-vector), spatial, or spatial-affine; replaces an experiment's declared prior, and is required with --inputs." };
        var command = new Command("analyze", "Analyse a trained network (a run folder, a safetensors state dict or a TorchScript module) without training.")
        {
            source, experimentOption, inputsOption, priorOption, convention, affine, groundTruth, outputs, transform, split, units, samples, bootstrap, layerWise,
            equivariance, elements, exact, equivarianceSamples, outputRepresentation, pairTruth, prerotated, poolSplits,
        };
        foreach (var option in common.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(source)!;
            var problems = common.Problems(parse, out var overrides);
            if (parse.GetValue(samples) is < 0) problems.Add($"--samples must be 0 (all) or more, not {parse.GetValue(samples)}.");
            if (parse.GetValue(bootstrap) is < 0) problems.Add($"--bootstrap must be 0 or more, not {parse.GetValue(bootstrap)}.");
            var equivarianceSpec = EquivarianceOption(parse.GetValue(equivariance), parse.GetValue(elements), parse.GetValue(exact), parse.GetValue(equivarianceSamples), problems);
            var jointChange = JointOption(parse.GetValue(outputRepresentation), parse.GetValue(pairTruth), problems);
            problems.AddRange(DataOptionProblems(parse.GetValue(dataDirectory), parse.GetValue(prerotated), parse.GetValue(poolSplits)));
            bool isRun = Directory.Exists(path);
            if (!isRun && !File.Exists(path)) problems.Add($"'{path}' is neither a run folder nor a model file.");
            if (isRun && !File.Exists(Path.Combine(path, RunFiles.ResultJson))) problems.Add($"{path} is a folder without result.json; name a run folder (results/<experiment>/<run-id>) or a model file.");
            if (isRun && (parse.GetValue(dataDirectory) is not null || parse.GetValue(quick) || parse.GetValue(prerotated) || parse.GetValue(poolSplits)))
                problems.Add("--data-dir, --quick, --prerotated and --pool-splits apply to model files; a run folder is analysed on the data it was trained with.");
            ModelFileKind? kind = null;
            if (!isRun && File.Exists(path))
            {
                try
                {
                    kind = ModelFile.KindOf(path);
                    if (kind == ModelFileKind.TorchScript && TorchScriptProbe.Problem(path) is { } unloadable) problems.Add(unloadable);
                }
                catch (InvalidDataException e)
                {
                    problems.Add(e.Message);
                }
            }
            string? inputsFile = parse.GetValue(inputsOption);
            if (inputsFile is not null)
            {
                if (parse.GetValue(experimentOption) is not null) problems.Add("--inputs analyses on a file's inputs, --experiment on a declared experiment's data: give one of them.");
                if (isRun) problems.Add("--inputs is for model files; a run folder is analysed on the data it was trained with.");
                if (kind is ModelFileKind.Safetensors or ModelFileKind.PickledStateDict)
                    problems.Add($"{path} is a state dict: its architecture comes from a declared experiment, so use --experiment NAME instead of --inputs.");
                if (!File.Exists(inputsFile)) problems.Add($"--inputs '{inputsFile}' does not exist.");
                if (parse.GetValue(priorOption) is null) problems.Add("--inputs needs --prior (generic:N, generic:NxC, spatial or spatial-affine): how the group acts on the inputs.");
                if (parse.GetValue(split) is not null || parse.GetValue(dataDirectory) is not null || parse.GetValue(quick)) problems.Add("--split, --data-dir and --quick choose an experiment's data; with --inputs the file is the data.");
                if (parse.GetValue(units) is not null) problems.Add("--units chooses a standardised task's units; a TorchScript module on --inputs is analysed as it is.");
                if (overrides.Count > 0) problems.Add("--set replaces a declared experiment's values; with --inputs there is no declaration (use --experiment NAME).");
            }
            if (parse.GetValue(priorOption) is { } priorText && ParsePrior(priorText) is null)
                problems.Add($"--prior '{priorText}' is not generic:N, generic:NxC, generic:NxC+S (S leading scalars), spatial or spatial-affine.");
            if (!isRun && inputsFile is null && parse.GetValue(experimentOption) is null && File.Exists(path))
                problems.Add($"{path} is a model file: name the declared experiment whose data, prior and ground truth to use with --experiment NAME (see 'list'), or analyse it on --inputs FILE with --prior.");
            if (problems.Count > 0)
            {
                foreach (var problem in problems) errors.MarkupLine($"[red]error:[/] {Markup.Escape(problem)}");
                return UsageError;
            }

            if (inputsFile is not null)
                return AnalyzeInputs(path, inputsFile, ParsePrior(parse.GetValue(priorOption)!)!, parse.GetValue(convention), parse.GetValue(affine), parse.GetValue(groundTruth),
                    parse.GetValue(outputs), parse.GetValue(transform), parse.GetValue(samples), parse.GetValue(bootstrap), equivarianceSpec, jointChange, parse.GetValue(threads), parse.GetValue(output)!, console, errors);

            RunRecord? sourceRecord = isRun ? RunRecord.Load(Path.Combine(path, RunFiles.ResultJson)) : null;
            string experimentName = parse.GetValue(experimentOption) ?? sourceRecord!.Result.Experiment;
            var experiment = experiments.FirstOrDefault(e => e.Name == experimentName);
            if (experiment is null)
            {
                var suggestions = NameMatcher.Suggest(experimentName, experiments.Select(e => e.Name));
                errors.MarkupLine($"[red]error:[/] no declared experiment '{Markup.Escape(experimentName)}'." +
                    (suggestions.Count > 0 ? $" Did you mean {string.Join(", ", suggestions.Select(s => $"'{Markup.Escape(s)}'"))}?" : " Run 'list' to see them."));
                return UsageError;
            }
            var options = sourceRecord is { Result: var trained }
                ? new ExperimentRunOptions { Seed = trained.Seed, Quick = trained.Quick, DataDirectory = trained.DataDirectory, Prerotated = trained.Prerotated, PoolSplits = trained.PoolSplits }
                : new ExperimentRunOptions { Quick = parse.GetValue(quick), DataDirectory = parse.GetValue(dataDirectory), Prerotated = parse.GetValue(prerotated), PoolSplits = parse.GetValue(poolSplits) };
            // A run folder's network was trained with its run's overrides; the command line's come after them.
            var recorded = sourceRecord?.Result.Overrides.Select(o => SpecOverride.TryParse(o, out _)!).ToList() ?? [];
            options = options with
            {
                Overrides = [.. recorded.Where(r => !overrides.Any(o => string.Equals(o.Target, r.Target, StringComparison.OrdinalIgnoreCase))), .. overrides],
                Convention = ParseConvention(parse.GetValue(convention)),
                Threads = parse.GetValue(threads),
                AnalysisSplit = parse.GetValue(split) switch { "train" => SplitName.Train, "val" => SplitName.Validation, "test" => SplitName.Test, "all" => SplitName.All, _ => null },
                Units = parse.GetValue(units) switch { "task" => RegressionUnits.Task, "standardized" => RegressionUnits.Standardized, _ => null },
            };
            ExperimentSpec spec;
            try
            {
                var declared = parse.GetValue(priorOption) is { } replaced ? experiment.Spec with { Prior = ParsePrior(replaced)! } : experiment.Spec;
                spec = Override(options.ApplyTo(declared), parse.GetValue(affine), parse.GetValue(groundTruth), parse.GetValue(outputs), parse.GetValue(transform),
                    parse.GetValue(samples), parse.GetValue(bootstrap), parse.GetValue(layerWise), equivarianceSpec, jointChange);
            }
            catch (ExperimentSetupException e)
            {
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return UsageError;
            }
            return Analyze(spec, experiment.Name, path, sourceRecord, options, parse.GetValue(output)!, console, errors);
        });
        return command;
    }

    /// <summary>The declaration with the command line's analysis settings in place of the declared ones.</summary>
    /// <summary>What the command line changes in the equivariance analysis (null: nothing), with problems for every bad option.</summary>
    private static EquivarianceChange? EquivarianceOption(bool measure, string? elements, string? exact, int? samples, List<string> problems)
    {
        if (!measure)
        {
            if (elements is not null || exact is not null || samples is not null) problems.Add("--elements, --exact and --equivariance-samples need --equivariance.");
            return null;
        }
        ElementSelection? Read(string? text, string option)
        {
            if (text is null) return null;
            var unknown = new List<string>();
            var selection = ElementSelection.Parse(text, unknown);
            foreach (var name in unknown)
                problems.Add($"{option}: '{name}' is not a group element; use rotations, stride-shifts, flip, rot90, rot180, rot270 or shift:R;C (input pixels), comma-separated.");
            return selection;
        }
        if (samples is < 1) problems.Add($"--equivariance-samples must be at least 1, not {samples}.");
        return new EquivarianceChange(Read(elements, "--elements"), Read(exact, "--exact"), samples);
    }

    /// <summary>--output-representation and --pair-truth: the joint analysis they ask for (null: as declared), with problems for every bad value.</summary>
    private static JointChange? JointOption(string? representation, string? truth, List<string> problems)
    {
        if (representation is null)
        {
            if (truth is not null) problems.Add("--pair-truth needs --output-representation (or a declaration with [OutputRepresentation]).");
            return truth is null ? null : new JointChange(null, ParseTruth(truth));
        }
        var match = System.Text.RegularExpressions.Regex.Match(representation, @"^(?<kind>vectors|tensor|invariant)(:(?<copies>[1-9][0-9]{0,5}))?$");
        if (!match.Success || (match.Groups["copies"].Success && match.Groups["kind"].Value != "vectors"))
        {
            problems.Add($"--output-representation '{representation}' is not vectors, vectors:C (C copies of R^n), tensor or invariant.");
            return null;
        }
        var kind = match.Groups["kind"].Value switch { "vectors" => OutputSpace.Vectors, "tensor" => OutputSpace.Tensor, _ => OutputSpace.Invariant };
        int copies = match.Groups["copies"].Success ? int.Parse(match.Groups["copies"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
        var pairs = truth is null ? (kind == OutputSpace.Invariant ? PairTruth.InputOnly : PairTruth.Diagonal) : ParseTruth(truth);
        return new JointChange(new JointSpec(kind, copies, pairs), null);
    }

    private static PairTruth ParseTruth(string truth) => truth == "input-only" ? PairTruth.InputOnly : PairTruth.Diagonal;

    /// <summary>A whole joint analysis from the command line, or only the pair truth of the declared one.</summary>
    private sealed record JointChange(JointSpec? Spec, PairTruth? Truth)
    {
        public JointSpec? ApplyTo(JointSpec? declared, string experiment)
            => Spec ?? (declared is null
                ? throw new ExperimentSetupException($"--pair-truth needs an output representation, and experiment '{experiment}' declares none; add --output-representation.")
                : declared with { Truth = Truth!.Value });
    }

    /// <summary>--elements, --exact and --equivariance-samples: each replaces the declared value (or the default) when given.</summary>
    private sealed record EquivarianceChange(ElementSelection? Elements, ElementSelection? Exact, int? Samples)
    {
        public EquivarianceSpec ApplyTo(EquivarianceSpec? declared)
        {
            var spec = declared ?? new EquivarianceSpec();
            if (Elements is { } elements) spec = spec with { Elements = elements.Families, Named = elements.Named };
            if (Exact is { } exact) spec = spec with { Exact = exact.Families, NamedExact = exact.Named };
            return Samples is { } samples ? spec with { Samples = samples } : spec;
        }
    }

    private static ExperimentSpec Override(ExperimentSpec spec, bool? affine, string? groundTruth, string? outputs, string? transform, int? samples, int? bootstrap, bool? layerWise,
        EquivarianceChange? equivariance = null, JointChange? joint = null)
    {
        if (affine is { } withTranslations)
        {
            if (spec.Prior is not SpatialPrior spatial)
                throw new ExperimentSetupException($"--affine adds translations to the spatial prior, but experiment '{spec.Name}' uses the {spec.Prior.Description}.");
            spec = spec with { Prior = spatial with { Affine = withTranslations } };
        }
        if (groundTruth is not null)
        {
            GroundTruthSpec? truth = groundTruth switch
            {
                "none" => null,
                "so" => new BuiltInGroundTruth(Group.SO),
                "sl" => new BuiltInGroundTruth(Group.SL),
                "scaling" => new BuiltInGroundTruth(Group.Scaling),
                "co" => new BuiltInGroundTruth(Group.CO),
                "translations" => new BuiltInGroundTruth(Group.Translations),
                "se2" => new BuiltInGroundTruth(Group.SE2),
                _ => new BuiltInGroundTruth(Group.Lorentz),
            };
            spec = spec with { GroundTruth = truth };
        }
        var analysis = spec.Analysis;
        if (outputs is not null) analysis = analysis with { Outputs = outputs == "sum" ? OutputReduction.Sum : OutputReduction.PerOutput };
        if (transform is not null)
            analysis = analysis with
            {
                Transform = transform switch { "l2" => OutputTransform.L2Normalize, "softmax" => OutputTransform.Softmax, "log-softmax" => OutputTransform.LogSoftmax, _ => OutputTransform.None },
            };
        if (samples is { } count) analysis = analysis with { Samples = count };
        if (bootstrap is { } resamples) analysis = analysis with { Bootstrap = resamples };
        if (layerWise is { } layers) analysis = analysis with { LayerWise = layers };
        if (equivariance is not null) analysis = analysis with { Equivariance = equivariance.ApplyTo(analysis.Equivariance) };
        if (joint is not null) analysis = analysis with { Joint = joint.ApplyTo(analysis.Joint, spec.Name) };
        return spec with { Analysis = analysis };
    }

    private static int Analyze(ExperimentSpec spec, string experiment, string source, RunRecord? sourceRecord, ExperimentRunOptions options, string output, IAnsiConsole console, IAnsiConsole errors)
    {
        var started = DateTimeOffset.UtcNow;
        RunFolder claimed;
        try
        {
            claimed = RunFolder.Claim(output, experiment, RunRecord.RunIdFor(started, options.Seed ?? spec.Training.Seed, options.Quick) + "-analysis");
        }
        catch (IOException e)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
        try
        {
            using var model = LoadModel(spec, source, sourceRecord, options);
            var result = ExperimentRunner.Analyze(spec, model, options) with { AnalysisOf = Path.GetFullPath(source) };
            if (sourceRecord is not null) result = result with { Epochs = sourceRecord.Result.Epochs, Outputs = sourceRecord.Result.Outputs is { } trained ? result.Outputs! with { Trained = trained.Trained } : result.Outputs };
            var record = RunRecord.Create(spec, result, started) with { RunId = claimed.RunId };
            var folder = ReportWriter.WriteInto(record, claimed.Path);
            console.Profile.Out.Writer.WriteLine($"{experiment}: analysed {source}; variance {ReportFormat.Full.Number(result.Symmetry.Variance)}" +
                (result.Symmetry.MinBias is { } bias ? $", min bias {ReportFormat.Full.Number(bias)} ({result.Symmetry.Algebra})" : "") + PairSummary(result) + $"; report: {Path.Combine(folder, RunFiles.ReportMarkdown)}");
            return ExactEquivarianceHolds(result, folder, errors) ? Success : RunFailed;
        }
        catch (Exception e) when (e is ExperimentSetupException or InvalidDataException or FileNotFoundException or NotSupportedException)
        {
            claimed.Release();
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            claimed.Release();
            errors.MarkupLine($"[red]analysis of {Markup.Escape(source)} failed:[/] {Markup.Escape(e.Message)}");
            return RunFailed;
        }
    }

    /// <summary>The joint analysis in the one-line summary: "; pair variance …, min pair bias … (algebra)", or nothing.</summary>
    private static string PairSummary(ExperimentResult result) => result.Joint is { } joint
        ? $"; pair variance {ReportFormat.Full.Number(joint.Variance)}" + (joint.MinBias is { } bias ? $", min pair bias {ReportFormat.Full.Number(bias)} ({joint.Algebra})" : "")
        : "";

    /// <summary>"generic:N", "generic:NxC", "generic:NxC+S" (S leading scalars), "spatial" or "spatial-affine"; null when it is none of them.</summary>
    internal static ISymmetryPrior? ParsePrior(string text)
    {
        if (text == "spatial") return new SpatialPrior();
        if (text == "spatial-affine") return new SpatialPrior(Affine: true);
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^generic:(?<n>[1-9][0-9]{0,5})(x(?<c>[1-9][0-9]{0,5}))?(\+(?<s>[0-9]{1,6}))?$");
        if (!match.Success) return null;
        int Group(string name, int absent) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture) : absent;
        return new GenericPrior(Group("n", 0), Group("c", 1), Group("s", 0));
    }

    private static int AnalyzeInputs(string modelFile, string inputsFile, ISymmetryPrior prior, string? convention, bool? affine, string? groundTruth, string? outputs, string? transform,
        int? samples, int? bootstrap, EquivarianceChange? equivariance, JointChange? joint, int? threads, string output, IAnsiConsole console, IAnsiConsole errors)
    {
        string name = Path.GetFileNameWithoutExtension(modelFile);
        var options = new ExperimentRunOptions { Convention = ParseConvention(convention), Threads = threads };
        var started = DateTimeOffset.UtcNow;
        RunFolder? claimed = null;
        try
        {
            var declared = new ExperimentSpec
            {
                Name = name,
                Dataset = new InputFileDatasetSpec(Path.GetFullPath(inputsFile)),
                Architecture = new CustomModelSpec($"TorchScript {Path.GetFullPath(modelFile)}", _ => TorchScriptModel.Load(modelFile)),
                Training = new LieGG.Runtime.Training.TrainingOptions(),
                Prior = prior,
                Analysis = new AnalysisSpec(Bootstrap: 0),
            };
            var spec = Override(options.ApplyTo(declared), affine, groundTruth, outputs, transform, samples, bootstrap, layerWise: null, equivariance, joint);
            using var inputs = LieGG.Runtime.Data.InputFiles.Read(inputsFile);
            using var model = TorchScriptModel.Load(modelFile);
            claimed = RunFolder.Claim(output, name, RunRecord.RunIdFor(started, spec.Training.Seed, quick: false) + "-analysis");
            var result = ExperimentRunner.AnalyzeInputs(spec, model, inputs, options) with { AnalysisOf = Path.GetFullPath(modelFile) };
            var record = RunRecord.Create(spec, result, started) with { RunId = claimed.RunId };
            var folder = ReportWriter.WriteInto(record, claimed.Path);
            console.Profile.Out.Writer.WriteLine($"{name}: analysed {modelFile} on {inputsFile}; variance {ReportFormat.Full.Number(result.Symmetry.Variance)}" +
                (result.Symmetry.MinBias is { } bias ? $", min bias {ReportFormat.Full.Number(bias)} ({result.Symmetry.Algebra})" : "") + PairSummary(result) + $"; report: {Path.Combine(folder, RunFiles.ReportMarkdown)}");
            return ExactEquivarianceHolds(result, folder, errors) ? Success : RunFailed;
        }
        catch (Exception e) when (e is ExperimentSetupException or InvalidDataException or FileNotFoundException or IOException or ArgumentException)
        {
            claimed?.Release();
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
    }

    /// <summary>A run folder's network, a state dict in the declared architecture, or a TorchScript module.</summary>
    private static nn.Module<Tensor, Tensor> LoadModel(ExperimentSpec spec, string source, RunRecord? sourceRecord, ExperimentRunOptions options)
    {
        if (sourceRecord is not null)
        {
            var trained = TrainedNetwork.Load(source, sourceRecord, spec);
            if (sourceRecord.Result.Standardization is not null || spec.Dataset.Task != TaskKind.Regression) return trained;
            // A run saved before networks carried their scaling computed in standardised units: wrap it in its data's.
            using var data = ExperimentRunner.LoadData(spec, options);
            return ExperimentRunner.InTaskUnits(trained, data);
        }
        var kind = ModelFile.KindOf(source);
        if (kind is ModelFileKind.Safetensors or ModelFileKind.PickledStateDict)
        {
            using var data = ExperimentRunner.LoadData(spec, options);
            var model = ExperimentRunner.CreateModel(spec, data, options.Seed);
            try
            {
                TrainedNetwork.LoadWeights(model, source);
            }
            catch
            {
                model.Dispose();
                throw;
            }
            return model;
        }
        if (kind == ModelFileKind.TorchScript) return TorchScriptModel.Load(source);
        throw new InvalidDataException($"{source} is neither a TorchScript module, nor a state dict (safetensors, or torch.save of a state_dict()); save the model with torch.jit.save or its state dict with safetensors.torch.save_file.");
    }
}
