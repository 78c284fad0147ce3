using LtxLocal.Server;

// Runs the server on its own (`dotnet run --project src/LtxLocal.Server`); `ltx-local serve` is the usual way in.
var app = ServerApp.Build(args);
await app.RunAsync();

/// <summary>The entry point WebApplicationFactory hosts in the integration tests.</summary>
public partial class Program;
