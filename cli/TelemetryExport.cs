using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CroweLogic.Flow.Cli;

/// <summary>Exports the platform's ActivitySources and Meters through the OpenTelemetry SDK for long-running commands.</summary>
internal static class TelemetryExport
{
    /// <summary>The <c>--otel</c> option: none, console or otlp.</summary>
    public static System.CommandLine.Option<string> Option()
    {
        var option = new System.CommandLine.Option<string>("--otel") { Description = "Export spans and metrics: none, console, or otlp (default: otlp when $OTEL_EXPORTER_OTLP_ENDPOINT is set)" };
        option.AcceptOnlyFromAmong("none", "console", "otlp");
        return option;
    }

    /// <summary>The export mode <c>--otel</c> gives, defaulting to otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static string Mode(string? option) => option ?? (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } ? "otlp" : "none");

    /// <summary>Starts exporting <paramref name="sources"/> (traces and metrics of the same names); null when nothing is exported.</summary>
    public static IDisposable? Start(string? mode, params string[] sources)
    {
        mode = Mode(mode);
        if (mode == "none") return null;
        var tracing = Sdk.CreateTracerProviderBuilder().AddSource(sources);
        var metrics = Sdk.CreateMeterProviderBuilder().AddMeter(sources);
        if (mode == "console")
        {
            tracing.AddConsoleExporter();
            metrics.AddConsoleExporter();
        }
        else
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter();
        }
        return new Providers(tracing.Build(), metrics.Build());
    }

    private sealed class Providers(TracerProvider? tracer, MeterProvider? meter) : IDisposable
    {
        public void Dispose()
        {
            tracer?.Dispose();
            meter?.Dispose();
        }
    }
}
