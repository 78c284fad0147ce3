using LtxLocal.Models.Transformer;
using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>
/// How far one float32 ulp of the RoPE frequency grid moves each debug intermediate of a forward pass, measured.
/// </summary>
/// <remarks>
/// The reference forms the grid from <c>linspace(0, 1, n)</c> in float32 on whatever libtorch it runs on, and
/// libtorch versions round single interior entries one ulp apart (2.6: 0x3f4ccccd for entry 12 of linspace(0, 1, 16),
/// 1.13: 0x3f4ccccc). <see cref="RopeGridAllowance"/> bounds what that does to the cos/sin tables; downstream of them
/// (block outputs) no closed form is tight, so this measures it: the forward runs again once per interior entry of
/// every grid size it formed, with that entry one ulp higher (<see cref="RopeGridProbe"/>; the same size is the same
/// linspace in the reference too, so its tables move together), and the movement of a tensor is the sum over entries
/// of max|nudged − nominal|. At these angles (one ulp moves an angle by ~1e-3 rad) the outputs are linear in the
/// grid, so any pattern of one-ulp differences moves a tensor by at most that sum. It widens the debug tensors'
/// budgets only (<see cref="ParityCase.Compare"/>); final outputs keep the case's tolerances.
/// </remarks>
public static class RopeGridSensitivity
{
    /// <summary>
    /// Movement per debug output ("out.dbg." + key of <paramref name="nominal"/>). <paramref name="forward"/> runs the
    /// same forward pass again, filling the dictionary it is given with the debug tensors (it owns nothing it returns).
    /// </summary>
    public static Dictionary<string, double> Measure(IReadOnlyCollection<long> gridSizes, IReadOnlyDictionary<string, Tensor> nominal,
        Action<Dictionary<string, Tensor>> forward)
    {
        var movement = nominal.Keys.ToDictionary(k => "out.dbg." + k, _ => 0.0);
        foreach (long size in gridSizes)
            for (long index = 1; index < size - 1; index++)
            {
                var nudged = new Dictionary<string, Tensor>();
                try
                {
                    using (RopeGridProbe.NudgeUp(size, index)) forward(nudged);
                    foreach (var (key, value) in nominal)
                        if (nudged.TryGetValue(key, out var moved) && moved.Shape.SequenceEqual(value.Shape))
                            movement["out.dbg." + key] += MaxDifference(moved, value);
                }
                finally
                {
                    foreach (var t in nudged.Values) t.Dispose();
                }
            }
        return movement;
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return (a.To(DType.Float64) - b.To(DType.Float64)).Abs().Amax().Item();
    }
}
