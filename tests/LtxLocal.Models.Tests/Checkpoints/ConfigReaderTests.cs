using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.Tests.Checkpoints;

public class ConfigReaderTests
{
    private static ConfigReader Reader(string json) =>
        ConfigReader.FromMetadata(new Dictionary<string, string> { ["config"] = json }, "transformer", "test.safetensors");

    [Fact]
    public void Reads_typed_values_and_defaults()
    {
        var config = Reader("{\"transformer\": {\"num_layers\": 48, \"norm_eps\": 1e-6, \"qk_norm\": \"rms_norm\", \"flag\": true, \"max_pos\": [20, 2048]}}");
        Assert.Equal(48, config.Int("num_layers"));
        Assert.Equal(1e-6, config.Double("norm_eps"));
        Assert.True(config.Bool("flag"));
        Assert.False(config.Bool("absent_flag", false));
        Assert.Equal(new long[] { 20, 2048 }, config.LongArray("max_pos"));
        Assert.Equal("rms_norm", config.Choice("qk_norm", null, "rms_norm", "layer_norm"));
    }

    [Fact]
    public void Unsupported_value_names_component_key_and_value()
    {
        var config = Reader("{\"transformer\": {\"rope_type\": \"spiral\", \"num_layers\": \"many\"}}");
        var error = Assert.Throws<ModelConfigException>(() => config.Choice("rope_type", "split", "split", "interleaved"));
        Assert.Equal("transformer config key 'rope_type': value 'spiral' is not supported (supported: split, interleaved)", error.Message);
        Assert.Contains("'num_layers': expected an integer", Assert.Throws<ModelConfigException>(() => config.Int("num_layers")).Message);
        Assert.Contains("'heads': missing", Assert.Throws<ModelConfigException>(() => config.Int("heads")).Message);
    }

    [Fact]
    public void Missing_section_or_config_is_a_clear_error()
    {
        Assert.Contains("no \"transformer\" section", Assert.Throws<ModelConfigException>(() => Reader("{\"vae\": {}}")).Message);
        var none = Assert.Throws<ModelConfigException>(() =>
            ConfigReader.FromMetadata(new Dictionary<string, string>(), "vae", "x.safetensors"));
        Assert.Contains("x.safetensors: no \"config\"", none.Message);
    }
}
