using System.Diagnostics;
using CroweLogic.Flow.Gateways.Fix;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Our parser and validator against QuickFIX's own, message by message: thousands of mutated messages per version
/// (<see cref="FixFuzzer.Mutator"/>, 20 000 per version) go through QuickFIX 1.15's Message and DataDictionary (tests/peers/quickfix-validator,
/// loading QuickFIX's spec files) and through ours, and each must get the same verdict: not a message, valid, or the
/// same fault on the same tag. This is the second method behind the dictionary and validator.
/// </summary>
public class QuickFixValidatorTests
{
    [Theory]
    [InlineData("FIX.4.0", "FIX40.xml", null)]
    [InlineData("FIX.4.2", "FIX42.xml", null)]
    [InlineData("FIX.4.3", "FIX43.xml", null)]
    [InlineData("FIX.4.4", "FIX44.xml", null)]
    [InlineData("FIXT.1.1", "FIXT11.xml", "FIX50SP2.xml")]
    public async Task Every_mutated_message_gets_the_verdict_QuickFIX_gives_it(string beginString, string sessionFile, string? applicationFile)
    {
        var spec = QuickFixSuite.SpecDirectory();
        var session = FixDictionary.Load(Path.Combine(spec, sessionFile));
        var application = applicationFile is null ? session : FixDictionary.Load(Path.Combine(spec, applicationFile));
        // A fixed seed per version keeps CI reproducible; FIX_VALIDATOR_SEED explores others.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FIX_VALIDATOR_SEED"), out var chosen) ? chosen : 17;
        var mutator = new FixFuzzer.Mutator(new Random(seed * 31 + beginString.Sum(c => c)), "TW", "ISLD", beginString);
        var frames = Enumerable.Range(0, 20_000).Select(i => i % 500 == 0 ? mutator.Logon() : mutator.Next()).ToList();

        var theirs = await QuickFixSuite.ValidateAsync(frames, Path.Combine(spec, sessionFile), applicationFile is null ? null : Path.Combine(spec, applicationFile));
        var message = new FixMessage();
        var mismatches = new List<string>();
        var verdicts = new Dictionary<string, int>();
        for (var i = 0; i < frames.Count; i++)
        {
            message.Load(frames[i], session, application, validate: true);
            var ours = message.Invalid is not null ? "invalid"
                : FixValidator.Validate(message, session, FixMsgType.IsAdmin(message.MsgType) ? session : application) is { } fault ? $"{fault.Kind} {fault.Tag}"
                : "ok";
            verdicts[ours.Split(' ')[0]] = verdicts.GetValueOrDefault(ours.Split(' ')[0]) + 1;
            var text = System.Text.Encoding.Latin1.GetString(frames[i]).Replace('\u0001', '|');
            if (ours != theirs[i]) mismatches.Add($"QuickFIX: {theirs[i]}, ours: {ours}: {(text.Length > 240 ? text[..240] + "…" : text)}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {frames.Count} verdicts differ:\n{string.Join('\n', mismatches.Take(4))}");
        // The sample reaches the interesting verdicts, not only "invalid".
        Assert.True(verdicts.Count >= 8, $"verdicts seen: {string.Join(", ", verdicts.Select(v => $"{v.Key} {v.Value}"))}");
    }
}

/// <summary>QuickFIX's acceptance suite and specification files (tests/peers/quickfix-acceptance/fetch.sh) and its validation filter.</summary>
internal static class QuickFixSuite
{
    private static readonly Lazy<string> Source = new(() => Run("bash", Path.Combine(Repository, "tests", "peers", "quickfix-acceptance", "fetch.sh")).Trim().Split('\n')[^1]);
    private static readonly Lazy<string> Validator = new(() => Run("bash", Path.Combine(Repository, "tests", "peers", "quickfix-validator", "build.sh")).Trim().Split('\n')[^1]);

    public static string SpecDirectory() => Path.Combine(Source.Value, "spec");

    public static async Task<string[]> ValidateAsync(IReadOnlyList<byte[]> frames, string session, string? application)
    {
        var start = new ProcessStartInfo(Validator.Value) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(session);
        if (application is not null) start.ArgumentList.Add(application);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the QuickFIX validator did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        foreach (var frame in frames) await process.StandardInput.WriteLineAsync(Convert.ToHexString(frame));
        process.StandardInput.Close();
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || lines.Length != frames.Count) throw new InvalidOperationException($"the QuickFIX validator failed (exit {process.ExitCode}, {lines.Length} verdicts for {frames.Count} frames): {await error}");
        return lines;
    }

    private static string Repository
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "tests", "peers", "quickfix-acceptance"))) return dir.FullName;
            throw new DirectoryNotFoundException("the repository root (with tests/peers) was not found");
        }
    }

    private static string Run(string file, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{argument} failed ({process.ExitCode}): {error}");
        return output;
    }
}
