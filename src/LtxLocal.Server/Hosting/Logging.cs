using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace LtxLocal.Server.Hosting;

/// <summary>
/// Serilog behind Microsoft.Extensions.Logging (Serilog.AspNetCore is not available here). The
/// "Serilog" configuration section can add sinks (e.g. a file) and levels; Ltx:LogFormat=json
/// switches the console to JSON lines.
/// </summary>
public static class Logging
{
    public static void AddLtxSerilog(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.Services.AddSingleton<ILoggerProvider>(sp => new SerilogLoggerProvider(Create(sp.GetRequiredService<IConfiguration>()), dispose: true));
    }

    private static Serilog.Core.Logger Create(IConfiguration configuration)
    {
        var json = string.Equals(configuration[$"{ServerOptions.Section}:LogFormat"], "json", StringComparison.OrdinalIgnoreCase);
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting", LogEventLevel.Information)
            .Enrich.FromLogContext();
        config = json
            ? config.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        return config.ReadFrom.Configuration(configuration).CreateLogger();
    }
}
