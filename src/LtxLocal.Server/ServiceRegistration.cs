using LtxLocal.Inference;
using LtxLocal.Media;
using LtxLocal.Server.ApiDocs;
using LtxLocal.Server.Auth;
using LtxLocal.Server.Health;
using LtxLocal.Inference.Catalog;
using LtxLocal.Server.Notifications;
using LtxLocal.Server.Planning;
using LtxLocal.Server.Storage;
using LtxLocal.Server.Sweeps;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtxLocal.Server;

/// <summary>The server's services. No generator, estimator or GPU inventory is registered here: hosts add those they have.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddLtxServer(this IServiceCollection services)
    {
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Endpoints.BodyBufferBudget>();
        services.AddSingleton<WeightDigests>();
        services.TryAddSingleton<IModelCatalog>(sp => new ModelDirectoryCatalog(Opt(sp).ModelsDir, digests: sp.GetRequiredService<WeightDigests>()));

        services.AddSingleton(sp => FfmpegTools.Locate(Opt(sp).FfmpegPath, Opt(sp).FfprobePath));
        services.AddSingleton(sp => new ImageDecoder(
            new ImageLimits(Opt(sp).MaxImageBytes, Opt(sp).MaxImagePixels, Opt(sp).MaxImageDimension, Opt(sp).MaxConcurrentDecodes)));
        services.AddSingleton(sp => new LocalAddresses(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new UrlPolicy(Opt(sp).Outbound, sp.GetRequiredService<LocalAddresses>()));
        services.AddSingleton(sp => new GenerationRequestParser(Opt(sp), sp.GetRequiredService<UrlPolicy>()));
        services.AddSingleton<IJobStore>(sp => Opt(sp) switch
        {
            { Store: "postgres", PostgresConnection: { } connection } => new PostgresJobStore(connection),
            { Store: "postgres" } => throw new InvalidOperationException("Ltx:Store=postgres needs Ltx:PostgresConnection"),
            { Store: "sqlite" } o => new SqliteJobStore(Path.Combine(o.FullDataDir, "jobs.db")),
            var o => throw new InvalidOperationException($"Ltx:Store '{o.Store}' is not a store; use sqlite or postgres"),
        });

        services.AddSingleton<OutboundHttp>();
        services.AddSingleton<ImageInputs>();
        services.AddSingleton<MediaInputs>();
        services.AddSingleton<OutputStore>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<DeviceSelection>();
        services.AddSingleton<MemoryBudget>();
        services.AddSingleton<Availability>();
        services.AddSingleton<Readiness>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton(sp => new Inference.Pipelines.Blocks.PromptEmbeddingCache(
            Inference.Memory.ByteSize.TryParseZeroOrMore(Opt(sp).PromptCacheBytes, out var bytes) ? bytes : 0));
        services.AddSingleton(sp => Inference.Memory.ResidentNetworks.TryParse(Opt(sp).KeepResident, out var kept, out _) ? kept : Inference.Memory.ResidentNetworks.None);
        services.AddSingleton<MetricsScrape>();
        services.AddSingleton<JobOutcomes>();
        services.AddSingleton<RetryAfterEstimator>();
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<ClusterNode>();
        services.AddSingleton<SharedOutputs>();
        services.AddSingleton<ClusterStatus>();
        services.AddSingleton<JobViews>();
        services.AddSingleton<JobCancellation>();
        services.AddSingleton<JobDeletion>();
        services.AddSingleton<SubmissionService>();
        services.AddSweeps();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<Manifests.JobManifests>();
        services.AddSingleton<Notifier>();
        services.AddSingleton<WebhookOutboxSignal>();
        services.AddSingleton<Safety.ContentChecker>();
        services.AddSingleton<Safety.SafetyGate>();
        services.AddSingleton<LtxLocal.Server.Endpoints.UnmatchedRequests>();
        services.AddSingleton<Playground.PlaygroundAssets>();
        services.AddLtxApiDocuments();

        // Order matters: the startup checks (ffmpeg, store, recovery) finish before any worker dequeues.
        services.AddHostedService<StartupService>();
        services.AddHostedService<StartupBanner>();
        services.AddHostedService<WorkerPool>();
        services.AddHostedService<LeaseKeeper>();
        services.AddHostedService<ExpiryService>();
        services.AddHostedService<WebhookDispatcher>();
        services.ConfigureHttpJsonOptions(json =>
        {
            // The context's own options are not used when it sits in another options' chain, so name the policy here too.
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
        });
        return services;
    }

    private static ServerOptions Opt(IServiceProvider sp) => sp.GetRequiredService<IOptions<ServerOptions>>().Value;
}
