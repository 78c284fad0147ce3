using System.Buffers.Binary;
using System.Text;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Torch.Tests.Safetensors;

/// <summary>
/// Corrupt files never crash the process or read out of bounds: each mutated file either opens and every
/// tensor reads back with the size its header states, or raises a SafetensorsException naming the file.
/// </summary>
public sealed class CorruptFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-corrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (byte[] Header, byte[] Data) ValidParts()
    {
        var header = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[24,32]}}";
        return (Encoding.UTF8.GetBytes(header), Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    }

    private static byte[] Assemble(byte[] header, byte[] data, ulong? declaredLength = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    private static byte[] WithHeader(string header)
    {
        var (_, data) = ValidParts();
        return Assemble(Encoding.UTF8.GetBytes(header), data);
    }

    /// <summary>Hand-made corruptions, each of which must be rejected, with a word the message must contain.</summary>
    public static TheoryData<string, string> Rejected()
    {
        var cases = new TheoryData<string, string>
        {
            { "empty", "too short" },
            { "short_prefix", "too short" },
            { "length_past_eof", "runs past the end" },
            { "length_huge", "runs past the end" },
            { "truncated_data", "past the data section" },
            { "not_json", "not valid JSON" },
            { "json_array", "not a JSON object" },
            { "bad_utf8", "UTF-8" },
            { "unknown_dtype", "unknown or unsupported dtype" },
            { "missing_dtype", "missing dtype" },
            { "negative_shape", "invalid size" },
            { "fractional_shape", "invalid size" },
            { "missing_offsets", "data_offsets" },
            { "three_offsets", "data_offsets" },
            { "reversed_offsets", "end before they begin" },
            { "negative_offset", "non-negative" },
            { "offset_past_end", "past the data section" },
            { "size_mismatch", "needs" },
            { "overlap", "overlap" },
            { "metadata_not_object", "__metadata__" },
            { "metadata_number_value", "not a string" },
            { "entry_not_object", "not an object" },
            { "shape_overflow", "too large" },
            { "duplicate_name", "twice" },
        };
        return cases;
    }

    private static byte[] Build(string kind)
    {
        var (header, data) = ValidParts();
        string H(string s) => s;
        return kind switch
        {
            "empty" => Array.Empty<byte>(),
            "short_prefix" => new byte[] { 1, 2, 3 },
            "length_past_eof" => Assemble(header, data, (ulong)(header.Length + data.Length + 1)),
            "length_huge" => Assemble(header, data, ulong.MaxValue),
            "truncated_data" => Assemble(header, data)[..^5],
            "not_json" => WithHeader(H("{\"a\": {\"dtype\": ")),
            "json_array" => WithHeader("[1, 2, 3]"),
            "bad_utf8" => Assemble(new byte[] { 0x7B, 0xFF, 0xFE, 0x7D }, data),
            "unknown_dtype" => WithHeader("{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}"),
            "missing_dtype" => WithHeader("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}"),
            "negative_shape" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}"),
            "fractional_shape" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}"),
            "missing_offsets" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}"),
            "three_offsets" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}"),
            "reversed_offsets" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}"),
            "negative_offset" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}"),
            "offset_past_end" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[0,40]}}"),
            "size_mismatch" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"),
            "overlap" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}"),
            "metadata_not_object" => WithHeader("{\"__metadata__\":[1],\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"),
            "metadata_number_value" => WithHeader("{\"__metadata__\":{\"x\":1}}"),
            "entry_not_object" => WithHeader("{\"a\":5}"),
            "shape_overflow" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}"),
            "duplicate_name" => WithHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}"),
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Corrupt_file_is_rejected_with_a_message_naming_file_and_problem(string kind, string expectedWords)
    {
        var path = Path.Combine(_dir, kind + ".safetensors");
        File.WriteAllBytes(path, Build(kind));
        var error = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expectedWords, error.Message);
    }

    /// <summary>Random byte flips, insertions and truncations of a valid file (seeded): never a crash.</summary>
    [Fact]
    public void Two_hundred_random_mutations_open_cleanly_or_fail_with_a_clear_error()
    {
        var (header, data) = ValidParts();
        var valid = Assemble(header, data);
        var random = new Random(20261121);
        int rejected = 0;
        for (int i = 0; i < 200; i++)
        {
            var bytes = (byte[])valid.Clone();
            switch (i % 4)
            {
                case 0: // flip bytes inside the header
                    for (int k = 0; k < 1 + random.Next(3); k++) bytes[8 + random.Next(header.Length)] = (byte)random.Next(256);
                    break;
                case 1: // change one header character to a digit (offsets and shapes shift)
                    bytes[8 + random.Next(header.Length)] = (byte)('0' + random.Next(10));
                    break;
                case 2: // truncate anywhere
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                default: // corrupt the length prefix
                    bytes[random.Next(8)] = (byte)random.Next(256);
                    break;
            }
            var path = Path.Combine(_dir, $"m{i}.safetensors");
            File.WriteAllBytes(path, bytes);
            try
            {
                using var file = SafetensorsFile.Open(path);
                using var scope = TorchRuntime.NewDisposeScope();
                foreach (var name in file.Keys)
                    Assert.Equal(file.Info(name).ByteLength, file.View(name).ToBytes().Length);
            }
            catch (SafetensorsException e)
            {
                Assert.Contains(path, e.Message);
                rejected++;
            }
        }
        // Most mutations break the file; the test must have exercised the error paths.
        Assert.True(rejected > 100, $"only {rejected} of 200 mutations were rejected");
    }
}
