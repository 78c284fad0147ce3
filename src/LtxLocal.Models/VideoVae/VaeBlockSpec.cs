using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// One entry of <c>encoder_blocks</c> / <c>decoder_blocks</c>: <c>["res_x", 4]</c> or <c>["compress_all", {"multiplier": 2}]</c>.
/// The integer form means <c>{"num_layers": n}</c>, as the reference normalises it.
/// </summary>
public sealed record VaeBlockSpec(string Name, ConfigReader Params)
{
    public static VaeBlockSpec[] ListFrom(ConfigReader config, string key)
    {
        if (!config.Has(key)) return Array.Empty<VaeBlockSpec>();
        var raw = config.Raw(key);
        if (raw.ValueKind != JsonValueKind.Array) throw new ModelConfigException($"vae config key '{key}': expected a list of blocks");
        return raw.EnumerateArray().Select((entry, i) =>
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String)
                throw new ModelConfigException($"vae config key '{key}'[{i}]: expected [name, params], found {entry}");
            var name = entry[0].GetString()!;
            var value = entry[1];
            var paramsJson = value.ValueKind switch
            {
                JsonValueKind.Number => JsonDocument.Parse($"{{\"num_layers\": {value.GetRawText()}}}").RootElement,
                JsonValueKind.Object => value,
                _ => throw new ModelConfigException($"vae config key '{key}'[{i}] ({name}): params must be an integer or an object"),
            };
            return new VaeBlockSpec(name, new ConfigReader(paramsJson, $"vae.{key}[{i}].{name}"));
        }).ToArray();
    }

    public int Multiplier(int fallback) => Params.Int("multiplier", fallback);

    public int NumLayers => Params.Int("num_layers");

    /// <summary>Noise injection draws per-block spatial noise; no released VAE enables it.</summary>
    public void RejectInjectedNoise()
    {
        if (Params.Bool("inject_noise", false))
            throw new ModelConfigException($"{Params.Component}: inject_noise=true is not supported (no released LTX-2 VAE uses it)");
    }
}
