using Serilog;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Json;

namespace LtxLocal.Server.Hosting;

/// <summary>
/// Serilog (Serilog.AspNetCore) behind Microsoft.Extensions.Logging. The "Serilog" configuration section can add
/// sinks (e.g. a file) and levels; Ltx:LogFormat=json switches the console to JSON lines. One line per request
/// names the method, the route template (never the raw path's ids, never a query string, never a header, so no
/// API key or signed URL reaches the log), the status and the duration.
/// </summary>
public static class Logging
{
    /// <summary>Routes polled many times a second: logged at Debug so a busy server's log stays readable.</summary>
    private static readonly HashSet<string> Polled = ["/v1/jobs/{id}", "/health", "/ready", "/metrics"];

    /// <summary>
    /// Serilog as one logger provider among those the host has (a test's log capture sees the same events, filtered by
    /// Microsoft.Extensions.Logging as before), plus what the request logging needs: this server's Serilog logger (no
    /// static Log.Logger: several servers may share a process, each with its own sinks) and its diagnostic context.
    /// </summary>
    public static void AddLtxSerilog(this IServiceCollection services)
    {
        services.AddSingleton<Serilog.ILogger>(sp =>
        {
            var config = new LoggerConfiguration();
            Configure(config, sp.GetRequiredService<IConfiguration>());
            return config.CreateLogger(); // disposed (flushed) with the container
        });
        services.AddSingleton(sp => new DiagnosticContext(sp.GetRequiredService<Serilog.ILogger>()));
        services.AddSingleton<IDiagnosticContext>(sp => sp.GetRequiredService<DiagnosticContext>());
        services.AddSingleton<ILoggerProvider>(sp => new Serilog.Extensions.Logging.SerilogLoggerProvider(sp.GetRequiredService<Serilog.ILogger>()));
    }

    private static void Configure(LoggerConfiguration config, IConfiguration configuration)
    {
        var json = string.Equals(configuration[$"{ServerOptions.Section}:LogFormat"], "json", StringComparison.OrdinalIgnoreCase);
        config.MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting", LogEventLevel.Information)
            .Enrich.FromLogContext();
        _ = json
            ? config.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        config.ReadFrom.Configuration(configuration);
    }

    public static void UseLtxRequestLogging(this IApplicationBuilder app) => app.UseSerilogRequestLogging(options =>
    {
        options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>(); // this server's logger, not the static one
        options.MessageTemplate = "HTTP {RequestMethod} {RouteTemplate} responded {StatusCode} in {Elapsed:0.0} ms";
        options.IncludeQueryInRequestPath = false;
        options.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("RouteTemplate", RouteOf(http));
        options.GetLevel = (http, _, error) =>
            error is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
            : Polled.Contains(RouteOf(http)) && http.Response.StatusCode < 400 ? LogEventLevel.Debug
            : LogEventLevel.Information;
    });

    private static string RouteOf(HttpContext http) =>
        (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? "/" + template.TrimStart('/') : "(no route)";
}
