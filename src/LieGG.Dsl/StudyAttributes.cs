namespace LieGG.Dsl;

// A study is a partial class with [Study] instead of [Experiment], the same experiment attributes, and sweeps:
// the cartesian product of every [Sweep] times [Replicates] seeds is its grid of trials.

/// <summary>Declares a study: many trainings of one experiment over a grid of settings. The class must be partial.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StudyAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string? Description { get; set; }

    /// <summary>Published figures to print beside the results (e.g. "Table 1: P4CNN 2.28 % test error").</summary>
    public string? Reference { get; set; }
}

/// <summary>
/// A study over whole experiments: every listed [Experiment] type × [Replicates] seeds (each experiment's declared
/// seed, +1, …). Such a study declares no dataset, architecture, training or prior of its own.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CompareAttribute(params Type[] experiments) : Attribute
{
    public Type[] Experiments { get; } = experiments;
}

/// <summary>
/// Sweeps one property of one of the study's attributes, e.g. <c>[Sweep("O5Regression.TrainCount", 500, 1000, 2000)]</c>.
/// Several sweeps give their cartesian product, in declaration order (the last sweep varies fastest).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class SweepAttribute(string target, params object[] values) : Attribute
{
    /// <summary>"Attribute.Property", e.g. "MlpBudget.Parameters".</summary>
    public string Target { get; } = target;

    public object[] Values { get; } = values;
}

/// <summary>Trains every grid point with <see cref="Count"/> seeds: the declared seed, seed + 1, ….</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReplicatesAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}

/// <summary>Adds Pearson and Spearman correlations (with p-values) of two per-trial metrics to the study report.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class CorrelateAttribute(Metric x, Metric y) : Attribute
{
    public Metric X { get; } = x;

    public Metric Y { get; } = y;
}

/// <summary>
/// A study figure: <see cref="Y"/> against <see cref="X"/> — a swept parameter (points are mean ± std over the
/// replicate seeds) or a metric name (a scatter of all trials) — with one line per value of <see cref="Series"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class PlotAttribute : Attribute
{
    /// <summary>A swept parameter's name (e.g. "TrainCount") or a <see cref="Metric"/> name (e.g. "Variance").</summary>
    public string X { get; set; } = "";

    public Metric Y { get; set; } = Metric.Variance;

    /// <summary>A swept parameter whose values get separate lines; null for one line.</summary>
    public string? Series { get; set; }

    public bool LogX { get; set; }

    public bool LogY { get; set; }
}
