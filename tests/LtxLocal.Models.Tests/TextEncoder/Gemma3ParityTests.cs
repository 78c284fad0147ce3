using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>Every hidden state of the Gemma 3 text tower against the reference, on the rows LTX reads (mask == 1).</summary>
public class Gemma3ParityTests
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("gemma3");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "gemma3")]
    public void Hidden_states_match_the_reference(string caseName)
    {
        using var fixture = new FixtureCase("gemma3", caseName);
        using var scope = TorchRuntime.NewDisposeScope();
        using var configJson = GemmaCheckpoint.ReadConfig(fixture.WeightsPath);
        var config = Gemma3Config.FromJson(configJson.RootElement);
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var model = GemmaCheckpoint.Load(o => new Gemma3TextModel(config, o), weights, TestDevice.Current, DType.Float32);

        var ids = fixture.Tensor("in.input_ids");
        var mask = fixture.Tensor("in.attention_mask");
        using var output = model.Forward(ids, mask);

        var states = output.HiddenStates!;
        Assert.Equal(config.Tower.NumLayers + 1, states.Count);
        // Pad query rows are backend-dependent in the reference and never read by LTX: compare valid rows only.
        var valid = mask.To(DType.Float32).Unsqueeze(-1).Cpu();
        for (int i = 0; i < states.Count; i++)
        {
            var name = $"out.hidden_states.{i}";
            var expected = fixture.Tensor(name, Device.Cpu) * valid;
            ParityAssert.Close(expected, states[i].Cpu() * valid, fixture.Tolerance(name), $"gemma3/{caseName} {name}");
        }
    }
}
