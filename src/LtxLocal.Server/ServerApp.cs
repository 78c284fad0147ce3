using LtxLocal.Server.ApiDocs;
using LtxLocal.Server.Auth;
using LtxLocal.Server.Endpoints;
using LtxLocal.Server.Health;
using LtxLocal.Server.Playground;
using LtxLocal.Server.Sweeps;
using Prometheus;

namespace LtxLocal.Server;

/// <summary>
/// Builds the web application: configuration (appsettings.json, LTX_* variables, then command-line
/// flags, later ones winning), Serilog, services, middleware and endpoints. `ltx-local serve` and
/// the tests both come through here; <paramref name="configure"/> lets the host add what it
/// composes (the CLI: the GPU inventory and, later, the pipelines).
/// </summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure = null, string? configFile = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (configFile is not null) builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        builder.Configuration.AddInMemoryCollection(LtxEnvironmentVariables.Read());
        builder.Configuration.AddCommandLine(args); // again, so flags beat LTX_* variables
        builder.Logging.ClearProviders(); // Serilog writes the console; the framework's console provider would repeat it
        builder.Services.AddLtxSerilog();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetValue<long?>($"{ServerOptions.Section}:{nameof(ServerOptions.MaxBodyBytes)}") ?? new ServerOptions().MaxBodyBytes);
        builder.Services.AddLtxServer();
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseLtxServer();
        return app;
    }

    public static void UseLtxServer(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        app.Services.GetRequiredService<MetricsScrape>(); // hooks the gauges' refresh into the scrape
        app.Use(async (context, next) =>
        {
            await next(context);
            metrics.Request(context.Response.StatusCode);
        });
        // prometheus-net's request metrics (in flight, count and duration by method, status and endpoint), in our registry.
        app.UseHttpMetrics(o =>
        {
            o.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(metrics.Registry));
            o.CaptureMetricsUrl = false;
        });
        app.UseLtxRequestLogging();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapGenerationEndpoints();
        app.MapSourceEndpoints();
        app.MapJobEndpoints();
        app.MapSweepEndpoints();
        app.MapSystemEndpoints();
        app.MapPlaygroundEndpoints();
        app.MapLtxApiDocuments(); // /openapi.json and /docs, no key
        app.MapFallback(UnmatchedRequests.Handle); // 405 with Allow for a known path, else 404
    }
}
