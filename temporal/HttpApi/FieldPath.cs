using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CroweLogic.Flow.Temporal.HttpApi;

/// <summary>Sets a request field named by a dotted path (proto or JSON names) from a path or query string value.</summary>
internal static class FieldPath
{
    public static FieldDescriptor Resolve(MessageDescriptor type, string path)
    {
        FieldDescriptor? field = null;
        foreach (var segment in path.Split('.'))
        {
            field = Find(type, segment) ?? throw new ArgumentException($"{type.Name} has no field {segment} (in {path})");
            if (field.FieldType == FieldType.Message) type = field.MessageType;
        }
        return field ?? throw new ArgumentException("an empty field path");
    }

    public static void SetMessage(IMessage message, string path, IMessage value)
    {
        var (owner, field) = Walk(message, path, ignoreUnknown: false)!.Value;
        field.Accessor.SetValue(owner, value);
    }

    /// <summary>Sets the field; a repeated field gets the value appended. Unknown names are skipped when asked (query strings carry others).</summary>
    public static void Set(IMessage message, string path, string value, bool ignoreUnknown = false)
    {
        if (Walk(message, path, ignoreUnknown) is not var (owner, field)) return;
        if (field.IsMap) throw new ArgumentException($"{path} is a map; send it in a JSON body");
        if (field.FieldType == FieldType.Message)
        {
            // Well-known scalars in a query string: Duration "30s", Timestamp RFC 3339, wrappers.
            var parsed = JsonParser.Default.Parse(field.MessageType.FullName is "google.protobuf.Duration" or "google.protobuf.Timestamp" or "google.protobuf.FieldMask" ? $"\"{value}\"" : value, field.MessageType);
            if (field.IsRepeated) ((System.Collections.IList)field.Accessor.GetValue(owner)).Add(parsed);
            else field.Accessor.SetValue(owner, parsed);
            return;
        }
        var scalar = Scalar(field, value);
        if (field.IsRepeated) ((System.Collections.IList)field.Accessor.GetValue(owner)).Add(scalar);
        else field.Accessor.SetValue(owner, scalar);
    }

    private static (IMessage Owner, FieldDescriptor Field)? Walk(IMessage message, string path, bool ignoreUnknown)
    {
        var segments = path.Split('.');
        var current = message;
        for (var i = 0; i < segments.Length; i++)
        {
            var field = Find(current.Descriptor, segments[i]);
            if (field is null)
            {
                if (ignoreUnknown) return null;
                throw new ArgumentException($"{current.Descriptor.Name} has no field {segments[i]} (in {path})");
            }
            if (i == segments.Length - 1) return (current, field);
            if (field.FieldType != FieldType.Message || field.IsRepeated) throw new ArgumentException($"{path}: {segments[i]} is not a message field");
            var child = (IMessage?)field.Accessor.GetValue(current);
            if (child is null)
            {
                child = field.MessageType.Parser.ParseFrom(ByteString.Empty);
                field.Accessor.SetValue(current, child);
            }
            current = child;
        }
        return null;
    }

    private static FieldDescriptor? Find(MessageDescriptor type, string name) =>
        type.FindFieldByName(name) ?? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    private static object Scalar(FieldDescriptor field, string value) => field.FieldType switch
    {
        FieldType.String => value,
        FieldType.Bool => bool.Parse(value),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.Parse(value, CultureInfo.InvariantCulture),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.Parse(value, CultureInfo.InvariantCulture),
        FieldType.UInt32 or FieldType.Fixed32 => uint.Parse(value, CultureInfo.InvariantCulture),
        FieldType.UInt64 or FieldType.Fixed64 => ulong.Parse(value, CultureInfo.InvariantCulture),
        FieldType.Double => double.Parse(value, CultureInfo.InvariantCulture),
        FieldType.Float => float.Parse(value, CultureInfo.InvariantCulture),
        FieldType.Bytes => ByteString.FromBase64(value.Replace('-', '+').Replace('_', '/')),
        FieldType.Enum => EnumValue(field.EnumType, value),
        _ => throw new ArgumentException($"{field.FullName} cannot be set from text"),
    };

    private static object EnumValue(EnumDescriptor type, string value)
    {
        var number = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : type.FindValueByName(value)?.Number ?? throw new ArgumentException($"{value} is not a {type.Name}");
        return Enum.ToObject(type.ClrType, number);
    }
}
