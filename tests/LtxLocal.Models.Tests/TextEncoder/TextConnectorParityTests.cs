using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>Feature extractor + video/audio connectors (EmbeddingsProcessor.process_hidden_states) against the reference.</summary>
public class TextConnectorParityTests
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("text_connector");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "text_connector")]
    public void Text_contexts_match_the_reference(string caseName)
    {
        using var fixture = new FixtureCase("text_connector", caseName);
        using var scope = TorchRuntime.NewDisposeScope();
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        var transformer = ConfigReader.FromMetadata(weights.Metadata, "transformer", fixture.WeightsPath);
        using var gemma = JsonDocument.Parse(weights.Metadata["gemma_config"]);
        var (hidden, layers) = TextProcessorConfig.GemmaSizes(gemma.RootElement);
        var config = TextProcessorConfig.From(transformer, hidden, layers, EmbeddingsProcessor.HasAudioConnector(weights));
        using var processor = EmbeddingsProcessor.Load(config, weights, weights, TestDevice.Current, DType.Float32);

        var hiddenStates = fixture.Tensor("in.hidden_states");
        var mask = fixture.Tensor("in.attention_mask");
        var (videoFeatures, audioFeatures) = ((IFeatureExtractor)processor.FeatureExtractor).Forward(hiddenStates, mask);
        using var context = processor.Forward(hiddenStates, mask);

        fixture.AssertClose("out.dbg.video_features", videoFeatures);
        fixture.AssertClose("out.dbg.audio_features", audioFeatures!);
        fixture.AssertClose("out.video_encoding", context.Video);
        fixture.AssertClose("out.audio_encoding", context.Audio!);
        fixture.AssertClose("out.attention_mask", context.Mask);
    }
}
