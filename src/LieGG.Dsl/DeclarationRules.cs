using System;
#if LIEGG_ANALYZER
using LieGG.Dsl.Generators.Shared;
#endif

namespace LieGG.Dsl;

/// <summary>
/// The rules that tie one declared value to another (a warm-up within the epochs, a digit that fits its quadrant, an
/// architecture that can keep a declared exact symmetry). One rule set: the analyzers compile this file into their
/// assembly and apply it to declarations; the runtime applies it to specs built in code and to command-line overrides
/// (<c>--set</c>). Each rule takes plain values and returns what is wrong — the requirement, or the fault and its fix —
/// or null when the values fit.
/// </summary>
#if LIEGG_ANALYZER
internal
#else
public
#endif
static class DeclarationRules
{
    /// <summary>[Train] WarmupEpochs: the requirement it breaks, or null.</summary>
    public static string? WarmupWithinEpochs(int warmupEpochs, int epochs)
        => warmupEpochs > 0 && epochs >= 1 && warmupEpochs > epochs ? $"at most the {epochs} training epochs" : null;

    /// <summary>[Laplace] BurnIn against [Train] Epochs: true when no hyperparameter step would happen (plain MAP).</summary>
    public static bool LaplaceNeverSteps(int burnIn, int epochs) => burnIn >= 0 && epochs >= 1 && Math.Max(burnIn, 1) > epochs;

    /// <summary>[Pretrain] Layers against the MLP's hidden layers: the requirement it breaks, or null.</summary>
    public static string? PretrainWithinHidden(int layers, int hidden)
        => layers >= hidden && layers >= 1 ? $"fewer layers than the MLP's {hidden} hidden layers" : null;

    /// <summary>[QuadrantMnist] Canvas and DigitSize: (fault, fix), or null.</summary>
    public static (string Fault, string Fix)? QuadrantDigitFits(int canvas, int digitSize)
    {
        if (canvas >= 2 && canvas % 2 != 0) return ("an odd canvas has no four equal quadrants", "use an even Canvas");
        if (canvas >= 2 && digitSize >= 1 && digitSize > canvas / 2) return ($"the digit is larger than a {canvas / 2}-pixel quadrant", $"use DigitSize ≤ {canvas / 2} or a larger Canvas");
        return null;
    }

    /// <summary>[CanvasMnist] DigitSize against Canvas: the requirement it breaks, or null.</summary>
    public static string? CanvasDigitFits(int canvas, int digitSize) => canvas >= 1 && digitSize > canvas ? $"at most the {canvas}-pixel canvas" : null;

    /// <summary>[RelaxedCnn] Pathways (as the flags' integer value): what is wrong with the set, or null.</summary>
    public static string? PathwaysFault(int pathways)
    {
        const int fc = (int)Pathways.FC, factored = (int)Pathways.FactoredFC, conv = (int)Pathways.Conv, groupConv = (int)Pathways.GroupConv;
        return pathways == 0 ? "names no pathway"
            : (pathways & ~(fc | factored | conv | groupConv)) != 0 ? "holds a value that is no pathway"
            : (pathways & (fc | factored)) == (fc | factored) ? "holds both the dense and the factored FC pathway"
            : null;
    }

    /// <summary>[Train] Loss (by name) against the task: the loss that fits instead, or null when it fits (Auto always does).</summary>
    public static string? LossFitting(string loss, bool regression)
        => loss == "CrossEntropy" && regression ? "Mse" : loss == "Mse" && !regression ? "CrossEntropy" : null;

    /// <summary>
    /// [Analysis] Units = Standardized on a dataset (its attribute name, e.g. "O5Regression"): why that dataset has no
    /// standardised units, or null. Custom datasets may carry one of their own and are not judged.
    /// </summary>
    public static string? StandardizedUnitsFault(string dataset, bool regression)
        => !regression ? "is a classification task" : dataset is "O5Equivariant" or "Inertia" ? "does not standardise its targets" : null;

    /// <summary>
    /// [GroundTruth(Group.X)] against the prior: (fault, fix), or null. <paramref name="dimension"/> is the generic
    /// prior's n (ignored for the spatial prior).
    /// </summary>
    public static (string Fault, string Fix)? GroundTruthFitsPrior(string group, bool spatial, bool affine, int dimension) => (group, spatial, affine) switch
    {
        ("Translations" or "SE2", false, _) => ("has 2×3 affine generators but the generic prior's are square", "use [SpatialPrior(Affine = true)]"),
        ("Translations" or "SE2", true, false) => ("has 2×3 affine generators but [SpatialPrior] without Affine has 2×2 ones", "set Affine = true on [SpatialPrior]"),
        ("Lorentz", true, true) => ("acts linearly but [SpatialPrior(Affine = true)] generators are affine", "drop Affine or choose another group"),
        ("Lorentz" or "SO" or "SL" or "CO", false, _) when dimension < 2 => ($"needs matrices of size at least 2 but the generic prior's Dimension is {dimension}", "increase Dimension"),
        _ => null,
    };

    /// <summary>
    /// [Equivariance] Exact (the flags' integer value) against the architecture (its attribute name; <paramref name="pathways"/>
    /// the RelaxedCnn's flags, else 0): each element the architecture cannot keep exactly, with why and the fix
    /// (EQUIVARIANCE.md §4). Custom architectures are the author's claim and are not judged.
    /// </summary>
    public static (string Element, string Fault, string Fix)[] ExactSymmetryFaults(int exact, string architecture, int pathways)
    {
        const int rotations = (int)SymmetryElements.Rotations, strideShifts = (int)SymmetryElements.StrideShifts, flip = (int)SymmetryElements.Flip;
        const int fc = (int)Pathways.FC, factored = (int)Pathways.FactoredFC, conv = (int)Pathways.Conv;
        string? dense = (pathways & fc) != 0 ? "FC" : (pathways & factored) != 0 ? "FactoredFC" : null;
        var faults = new System.Collections.Generic.List<(string, string, string)>();
        if ((exact & rotations) != 0)
        {
            (string Fault, string Fix)? fault = architecture switch
            {
                "Mlp" or "MlpBudget" => ("is fully connected: nothing ties a pixel's weights to the pixel a quarter turn away", "declare [P4Cnn], or measure rotations without Exact"),
                "Cnn" => ("has planar filters, which turn with the image only when they are isotropic", "declare [P4Cnn], or measure rotations without Exact"),
                "RelaxedCnn" when dense is not null || (pathways & conv) != 0 =>
                    ($"has a {dense ?? "Conv"} pathway, which is not rotation-equivariant (and a Conv pathway at stride 2 keeps positions off the grid's centre)", "use Pathways = Pathways.GroupConv alone, or measure rotations without Exact"),
                _ => null,
            };
            if (fault is { } f) faults.Add(("Rotations", f.Fault, f.Fix));
        }
        if ((exact & strideShifts) != 0)
        {
            (string Fault, string Fix)? fault = architecture switch
            {
                "Mlp" or "MlpBudget" => ("is fully connected", "declare [RelaxedCnn] with Conv or GroupConv pathways, or measure shifts without Exact"),
                "Cnn" or "P4Cnn" => ("uses unpadded convolutions on a grid that does not wrap, so a cyclic shift carries content across the border", "declare [RelaxedCnn] (circular padding) with Conv or GroupConv pathways, or measure shifts without Exact"),
                "RelaxedCnn" when dense is not null => ($"has a {dense} pathway, which is not translation-equivariant", "drop the FC pathway from Pathways, or measure shifts without Exact"),
                _ => null,
            };
            if (fault is { } f) faults.Add(("StrideShifts", f.Fault, f.Fix));
        }
        if ((exact & flip) != 0 && architecture is "Mlp" or "MlpBudget" or "Cnn" or "P4Cnn" or "RelaxedCnn")
            faults.Add(("Flip", "is not mirror-equivariant (p4 holds rotations only, not reflections)", "remove Flip from Exact; Elements = SymmetryElements.Flip measures it"));
        return faults.ToArray();
    }
}
