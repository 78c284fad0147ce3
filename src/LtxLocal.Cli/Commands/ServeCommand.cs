using System.CommandLine;
using LtxLocal.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local serve`: the HTTP API. Flags become configuration keys (they beat appsettings.json and
/// LTX_* variables); any other setting can be passed as --Ltx:Key=value.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Listen URLs (http://0.0.0.0:8080 for every interface)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var dataDir = new Option<string>("--data-dir") { Description = "Job database, outputs and the API key file" };
        var modelsDir = new Option<string>("--models-dir") { Description = "Where model folders (with ltx-model.json) live" };
        var apiKey = new Option<string[]>("--api-key") { Description = "An accepted API key (repeatable); the generated data/api-keys is then ignored", AllowMultipleArgumentsPerToken = false };
        var keysFile = new Option<string>("--keys-file") { Description = "A file of accepted keys, one per line (# comments)" };
        var keepGenerated = new Option<bool>("--keep-generated-key") { Description = "Also accept the generated key in DATA_DIR/api-keys when keys are given" };
        var devices = new Option<string>("--devices") { Description = "auto (every GPU, else the CPU with a warning; the default), all (GPUs only), cuda:0,cuda:1, or cpu" };
        var maxQueue = new Option<int?>("--max-queue") { Description = "Queued jobs accepted before 429" };
        var ttl = new Option<double?>("--result-ttl-hours") { Description = "Hours a finished job and its file are kept" };
        var memoryLimit = new Option<string>("--gpu-memory-limit") { Description = "Memory budget per compute device, bytes or KiB/MiB/GiB (e.g. 24GiB); the CPU too" };
        var hostMemoryLimit = new Option<string>("--host-memory-limit") { Description = "Host memory a memory plan may keep (pinned streamed blocks, a text encoder on the CPU), bytes or KiB/MiB/GiB (default: available memory on a GPU worker)" };
        var memoryPlans = new Option<string>("--memory-plans") { Description = "Memory plans the planner may choose, comma-separated (default: all; e.g. resident,sequential+fp8)" };
        var promptCache = new Option<string>("--prompt-cache") { Description = "Host memory for encoded prompts kept between jobs, bytes or KiB/MiB/GiB (default 2GiB; 0: off)" };
        var keepResident = new Option<string>("--keep-resident") { Description = "Networks kept loaded between jobs whatever the memory plan, comma-separated: text_encoder, transformer, video_encoder, video_decoder, audio_decoder, upsampler (default: none)" };
        var config = new Option<string>("--config") { Description = "An extra JSON settings file (same shape as appsettings.json)" };
        var command = new Command("serve", "Run the HTTP API server") { urls, dataDir, modelsDir, apiKey, keysFile, keepGenerated, devices, maxQueue, ttl, memoryLimit, hostMemoryLimit, memoryPlans, promptCache, keepResident, config };
        command.TreatUnmatchedTokensAsErrors = false; // --Ltx:Key=value passes through to configuration
        command.SetAction(async (result, token) =>
        {
            var args = new List<string>();
            void Add(string key, object? value)
            {
                if (value is not null) args.Add($"--{key}={value}");
            }
            Add("urls", result.GetValue(urls));
            Add("Ltx:DataDir", result.GetValue(dataDir));
            Add("Ltx:ModelsDir", result.GetValue(modelsDir));
            var keys = result.GetValue(apiKey) ?? [];
            for (var i = 0; i < keys.Length; i++) Add($"Ltx:ApiKeys:{i}", keys[i]);
            Add("Ltx:KeysFile", result.GetValue(keysFile));
            if (result.GetValue(keepGenerated)) Add("Ltx:KeepGeneratedKey", "true");
            Add("Ltx:Devices", result.GetValue(devices));
            Add("Ltx:MaxQueuedJobs", result.GetValue(maxQueue));
            Add("Ltx:GpuMemoryLimit", result.GetValue(memoryLimit));
            Add("Ltx:HostMemoryLimit", result.GetValue(hostMemoryLimit));
            Add("Ltx:MemoryPlans", result.GetValue(memoryPlans));
            Add("Ltx:PromptCacheBytes", result.GetValue(promptCache));
            Add("Ltx:KeepResident", result.GetValue(keepResident));
            Add("Ltx:ResultTtlHours", result.GetValue(ttl)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            args.AddRange(result.UnmatchedTokens);
            var configFile = result.GetValue(config);

            try
            {
                // Built inside the try: building resolves the options, so a bad setting can fail here already.
                var app = ServerApp.Build([.. args], services =>
                {
                    services.AddSingleton<IGpuInventory, TorchGpuInventory>();
                    InferenceServices.Add(services);
                }, configFile);
                await ((IHost)app).RunAsync(token); // Ctrl+C / SIGTERM: stop accepting, running jobs return to the queue
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException e)
            {
                // A bad setting: say which, without a stack trace (ServerOptionsValidator names each one).
                foreach (var failure in e.Failures) Console.Error.WriteLine($"ltx-local serve: {failure}");
                return 2;
            }
            catch (Exception e) when (e is InvalidOperationException or LtxLocal.Media.MediaException)
            {
                // A start-up check failed (a device that does not exist, no ffmpeg, a bad setting): the log above has
                // the details; the last line says what to fix, without a stack trace.
                Console.Error.WriteLine($"ltx-local serve: {e.Message}");
                return 1;
            }
            return 0;
        });
        return command;
    }
}
