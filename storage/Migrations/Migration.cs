using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CroweLogic.Flow.Storage.Migrations;

/// <summary>One versioned schema migration: an embedded NNNN_name.sql file of ';'-terminated statements.</summary>
/// <param name="Version">Version number (file prefix).</param>
/// <param name="Name">Name (rest of the file name).</param>
/// <param name="Sql">The file's text.</param>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the text; an applied migration whose text changed is refused.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The statements, comments removed.</summary>
    public IReadOnlyList<string> Statements =>
        [.. string.Join('\n', Sql.ReplaceLineEndings("\n").Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .Split(';').Select(s => s.Trim()).Where(s => s.Length > 0)];

    /// <summary>All migrations shipped in this assembly, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = Load();

    private static List<Migration> Load()
    {
        var assembly = typeof(Migration).Assembly;
        var result = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)))
        {
            var match = FileName().Match(resource);
            if (!match.Success) throw new InvalidOperationException($"migration resource '{resource}' is not named NNNN_name.sql");
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            result.Add(new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }
        result.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < result.Count; i++)
            if (result[i].Version != i + 1) throw new InvalidOperationException($"migration versions must run 1..N without gaps; found {result[i].Version} at position {i + 1}");
        return result;
    }

    [GeneratedRegex(@"^migrations/(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}
