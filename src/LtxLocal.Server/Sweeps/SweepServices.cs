namespace LtxLocal.Server.Sweeps;

/// <summary>The sweep services; the store is the job store (sweeps live in its database).</summary>
public static class SweepServices
{
    public static IServiceCollection AddSweeps(this IServiceCollection services)
    {
        services.AddSingleton<ISweepStore>(sp => (ISweepStore)sp.GetRequiredService<IJobStore>());
        services.AddSingleton<QualityMeter>();
        services.AddSingleton<ContactSheet>();
        services.AddSingleton<SweepMeasurer>();
        services.AddHostedService(sp => sp.GetRequiredService<SweepMeasurer>());
        services.AddSingleton<SweepViews>();
        services.AddSingleton<SweepSheets>();
        services.AddSingleton<SweepService>();
        services.AddSingleton<SweepExpiry>();
        return services;
    }
}
