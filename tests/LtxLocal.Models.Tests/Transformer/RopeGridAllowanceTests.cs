using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using LtxLocal.Models.Parity;
using LtxLocal.Testing;

namespace LtxLocal.Models.Tests.Transformer;

/// <summary>
/// RopeGridAllowance and RopeGridSensitivity: the allowance covers what one ulp of an interior float32 linspace entry
/// does to a case's RoPE tables, the measured movement covers the debug intermediates downstream of them; both stay
/// far below the tensors' scale (so the debug comparison still catches a wrong formula), and neither touches final
/// outputs or cases whose grid is formed in double.
/// </summary>
public sealed class RopeGridAllowanceTests
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("transformer");

    /// <summary>True when the case forms its RoPE grid from a float32 linspace (no frequencies_precision: float64).</summary>
    private static bool Float32Grid(ParityCase fixture) =>
        !(fixture.Json.GetProperty("config").GetProperty("transformer").TryGetProperty("frequencies_precision", out var p) && p.GetString() == "float64");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Applies_only_to_rope_tables_of_float32_grids(string name)
    {
        using var fixture = new ParityCase(FixtureRoot.CaseDir("transformer", name));
        bool float32Grid = Float32Grid(fixture);
        foreach (var tensor in fixture.Outputs(includeDebug: true))
        {
            var allowance = RopeGridAllowance.For(fixture, tensor);
            bool ropeTable = tensor.StartsWith("out.dbg.", StringComparison.Ordinal) && (tensor.EndsWith("pe_cos") || tensor.EndsWith("pe_sin"));
            if (!ropeTable || !float32Grid)
            {
                Assert.Null(allowance);
                continue;
            }
            Assert.NotNull(allowance);
            // Far below the tables' own scale (cos/sin of magnitude 1): a wrong angle formula still fails.
            Assert.InRange(allowance!.Value, 1e-5, 0.05);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grid_movement_is_measured_for_float32_grids_on_debug_tensors_only_and_stays_far_below_their_scale(string name)
    {
        using var fixture = new ParityCase(FixtureRoot.CaseDir("transformer", name));
        bool float32Grid = Float32Grid(fixture);
        var scales = new Dictionary<string, double>();
        new TransformerParityRunner().Run(fixture, TestDevice.Current, (tensor, actual) => scales[tensor] = fixture.Compare(tensor, actual).Scale);
        var moved = fixture.GridMovement.Where(m => m.Value > 0).ToList();
        Assert.All(fixture.GridMovement.Keys, tensor => Assert.StartsWith("out.dbg.", tensor));
        if (!float32Grid)
            Assert.Empty(moved); // a grid formed in double has no linspace to round
        else if (fixture.Outputs(includeDebug: true).Any(t => t.StartsWith("out.dbg.", StringComparison.Ordinal) && t.EndsWith("pe_cos", StringComparison.Ordinal)))
            Assert.NotEmpty(moved); // the tables, and what reads them, move with the grid
        // Far below each tensor's own scale: a wrong RoPE or attention formula still fails the debug comparison.
        foreach (var (tensor, movement) in moved)
            Assert.True(movement <= 0.05 * scales[tensor], $"{tensor}: one-ulp movement {movement:G3} against scale {scales[tensor]:G3}");
    }

    [Fact]
    public void Covers_the_ulp_that_separates_libtorch_1_13_and_2_6()
    {
        // linspace(0, 1, 16) element 12: 0x3f4ccccc on libtorch 1.13, 0x3f4ccccd on 2.6. With positions whose
        // |2·mid/max_pos − 1| reaches 1 (mid 0), the grid entry θ^l·π/2, and so the angle, moves by this much.
        float low = BitConverter.Int32BitsToSingle(0x3f4ccccc), high = BitConverter.Int32BitsToSingle(0x3f4ccccd);
        double shift = Math.Abs(Math.Pow(10000, high) - Math.Pow(10000, low)) * Math.PI / 2;
        var dir = Directory.CreateTempSubdirectory("ltx-rope-case-").FullName;
        try
        {
            var caseDir = Path.Combine(dir, "transformer", "float32_grid");
            Directory.CreateDirectory(caseDir);
            File.WriteAllText(Path.Combine(caseDir, "case.json"),
                """{"config": {"transformer": {"positional_embedding_theta": 10000.0, "positional_embedding_max_pos": [20, 2048, 2048], "audio_positional_embedding_max_pos": [20]}}}""");
            using (var positions = Tensor.Zeros(new long[] { 1, 1, 4, 2 }))
            using (var table = Tensor.Zeros(new long[] { 1, 4, 32 })) // interleaved [B, T, dim]: 16 frequencies on one axis
                SafetensorsWriter.Write(Path.Combine(caseDir, "io.safetensors"),
                    new Dictionary<string, Tensor> { ["in.audio.positions"] = positions, ["out.dbg.audio.cross_pe_cos"] = table, ["out.audio.velocity"] = table });
            using var fixture = new ParityCase(caseDir);
            var allowance = RopeGridAllowance.For(fixture, "out.dbg.audio.cross_pe_cos");
            Assert.NotNull(allowance);
            Assert.InRange(allowance!.Value, shift, 0.05);
            Assert.Null(RopeGridAllowance.For(fixture, "out.audio.velocity"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
