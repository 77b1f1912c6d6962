using System.Globalization;
using LieGG.Runtime.Reports;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace LieGG.Experiments.Tests;

/// <summary>
/// The HTML pages of a real (quick) study, its trials and a comparison, loaded in headless Chromium with JavaScript on:
/// no script errors, the same table cells as the Markdown rendered from the same result, every figure inline, sorting,
/// filtering, series toggles and the hover readout working, the trial links leading to the trials' pages. Screenshots
/// land in the test output's <c>screenshots/</c> folder. Skipped where no Chromium is installed.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Category", "Browser")]
[RunsInOwnProcesses]
[TypicalDuration(9)]
public sealed class HtmlReportBrowserTests(ITestOutputHelper log) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("liegg-html-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Debian's <c>chromium</c>, or the browser LIEGG_CHROMIUM names.</summary>
    private static string? Chromium()
        => new[] { Environment.GetEnvironmentVariable("LIEGG_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(path => path is { Length: > 0 } && File.Exists(path));

    [SkippableFact]
    public async Task Study_trial_and_comparison_pages_work_in_a_real_browser()
    {
        var chromium = Chromium();
        Skip.If(chromium is null, "no Chromium here (Debian: apt-get install chromium; or set LIEGG_CHROMIUM)");
        var (exitCode, output) = ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--out", root);
        Assert.True(exitCode == 0, output);
        var study = Path.Combine(root, "o5-seeds");
        var trials = Directory.GetDirectories(Path.Combine(study, "trials")).Order(StringComparer.Ordinal).ToList();
        var results = trials.Select(t => Path.Combine(t, "result.json")).ToArray();
        var compare = Path.Combine(root, "compare");
        (exitCode, output) = ExperimentsProgram.Run(["report", .. results, "--out", compare]);
        Assert.True(exitCode == 0, output);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);

        // The study page: the trial table sorts and filters, its links lead to the trials' pages.
        await using (var page = await Open(browser, Path.Combine(study, HtmlReport.StudyPage), out var errors))
        {
            await AssertSameCellsAsMarkdown(page, Path.Combine(study, "study.md"));
            Assert.Equal(Directory.GetFiles(study, "*.svg").Length, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('figure.figure svg').length"));
            Assert.Equal($"{trials.Count} of {trials.Count} rows", await page.EvaluateExpressionAsync<string>("document.querySelector('.filter output').value"));

            int variance = await Column(page, "variance");
            await page.ClickAsync($"table.trials thead th:nth-child({variance + 1}) button");
            var ascending = await ColumnValues(page, variance);
            Assert.Equal(ascending.Order(), ascending);
            Assert.Equal("ascending", await page.EvaluateExpressionAsync<string>($"document.querySelector('table.trials thead th:nth-child({variance + 1})').getAttribute('aria-sort')"));
            await page.ClickAsync($"table.trials thead th:nth-child({variance + 1}) button");
            var descending = await ColumnValues(page, variance);
            Assert.Equal(ascending.AsEnumerable().Reverse(), descending);

            // A variance (six significant digits) names one trial.
            string oneVariance = await page.EvaluateExpressionAsync<string>($"document.querySelector('table.trials tbody tr td:nth-child({variance + 1})').textContent");
            await page.TypeAsync(".filter input", oneVariance);
            Assert.Equal(1, await page.EvaluateExpressionAsync<int>("[...document.querySelectorAll('table.trials tbody tr')].filter(r => !r.hidden).length"));
            Assert.Equal($"1 of {trials.Count} rows", await page.EvaluateExpressionAsync<string>("document.querySelector('.filter output').value"));

            await page.ScreenshotAsync(Path.Combine(shots, "study.png"), new ScreenshotOptions { FullPage = true });
            var link = await page.EvaluateExpressionAsync<string>("[...document.querySelectorAll('table.trials tbody tr')].find(r => !r.hidden).querySelector('a').href");
            Assert.Matches(@"/o5-seeds/trials/trial-\d{4}/report\.html$", link);
            var trialPage = await page.GoToAsync(link, WaitUntilNavigation.Load);
            Assert.True(trialPage.Ok, link);
            Assert.Equal("o5-regression", await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"));
            Assert.Empty(errors);
        }

        // A trial's own page: its figures inline, its charts interactive.
        await using (var page = await Open(browser, Path.Combine(trials[0], HtmlReport.RunPage), out var errors))
        {
            await AssertSameCellsAsMarkdown(page, Path.Combine(trials[0], "report.md"));
            int charts = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('figure.chart').length");
            // The spectrum and training curves are drawn as interactive charts; every other figure is inline SVG.
            Assert.Equal(2, charts);
            Assert.Equal(Directory.GetFiles(trials[0], "*.svg").Length - charts, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('figure.figure svg').length"));
            Assert.True(await page.EvaluateExpressionAsync<int>("new Set([...document.querySelectorAll('svg [id]')].map(e => e.id)).size") == await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg [id]').length"),
                "two inline figures share an element id");

            await page.HoverAsync("#chart-spectrum circle");
            string readout = await page.EvaluateExpressionAsync<string>("document.querySelector('#chart-spectrum .readout').textContent");
            string first = await page.EvaluateExpressionAsync<string>("document.querySelector('#chart-spectrum circle').dataset.y");
            Assert.Equal($"λ: i = 1, {first}", readout);
            // The first spectrum value is the table's first λ.
            Assert.Equal(first, await page.EvaluateExpressionAsync<string>("[...document.querySelectorAll('table.data')].find(t => t.tHead.textContent.includes('σ')).tBodies[0].rows[0].cells[1].textContent"));

            await page.ClickAsync("#chart-training .legend button[data-series='1']");
            Assert.Equal("none", await page.EvaluateExpressionAsync<string>("document.querySelector(\"#chart-training g.series[data-series='1']\").style.display"));
            Assert.Equal("false", await page.EvaluateExpressionAsync<string>("document.querySelector(\"#chart-training .legend button[data-series='1']\").getAttribute('aria-pressed')"));
            await page.ClickAsync("#chart-training .legend button[data-series='1']");
            Assert.Equal("", await page.EvaluateExpressionAsync<string>("document.querySelector(\"#chart-training g.series[data-series='1']\").style.display"));
            await page.ScreenshotAsync(Path.Combine(shots, "trial.png"), new ScreenshotOptions { FullPage = true });
            Assert.Empty(errors);
        }

        // The comparison: one sortable row per run.
        await using (var page = await Open(browser, Path.Combine(compare, HtmlReport.ComparisonPage), out var errors))
        {
            await AssertSameCellsAsMarkdown(page, Path.Combine(compare, "compare.md"));
            Assert.Equal(trials.Count, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('table.trials tbody tr').length"));
            await page.ScreenshotAsync(Path.Combine(shots, "compare.png"), new ScreenshotOptions { FullPage = true });
            Assert.Empty(errors);
        }
        log.WriteLine($"screenshots: {shots}");
    }

    /// <summary>Opens a page; <paramref name="errors"/> collects its console errors and uncaught exceptions from then on.</summary>
    private static Task<IPage> Open(IBrowser browser, string file, out List<string> errors)
    {
        var found = new List<string>();
        errors = found;
        return OpenAsync();

        async Task<IPage> OpenAsync()
        {
            var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1200, Height = 900 });
            page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) lock (found) found.Add(e.Message.Text); };
            page.PageError += (_, e) => { lock (found) found.Add(e.Message); };
            var response = await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
            Assert.True(response is null || response.Ok, $"{file} did not load");
            return page;
        }
    }

    /// <summary>Every table row of the page, cell by cell, equals the Markdown's (the same document rendered twice).</summary>
    private static async Task AssertSameCellsAsMarkdown(IPage page, string markdownFile)
    {
        var markdown = File.ReadAllLines(markdownFile)
            .Where(line => line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal))
            .Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim()[1..^1], @"(?<!\\)\|").Select(c => c.Trim().Replace("\\|", "|").Replace("`", "")).ToArray())
            .Where(cells => cells.Any(c => c.Length > 0))
            .Select(cells => string.Join(" ¦ ", cells)).ToList();
        var html = (await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('main table tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join(' ¦ '))")).ToList();
        Assert.Equal(markdown, html);
    }

    private static Task<int> Column(IPage page, string header)
        => page.EvaluateExpressionAsync<int>($"[...document.querySelectorAll('table.trials thead th')].findIndex(th => th.textContent.trim() === '{header}')");

    private static async Task<List<double>> ColumnValues(IPage page, int column)
        => (await page.EvaluateExpressionAsync<string[]>($"[...document.querySelectorAll('table.trials tbody tr')].map(r => r.cells[{column}].textContent)"))
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
}
