using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Contracts.Tests;

public class TimeAndEnumTests
{
    [Fact]
    public void Nanos_match_the_unix_epoch()
    {
        Assert.Equal(0, Nanos.FromDateTime(DateTime.UnixEpoch));
        Assert.Equal(1_381_152_600_000_000_000L, Nanos.FromDateTimeOffset(new DateTimeOffset(2013, 10, 7, 9, 30, 0, TimeSpan.FromHours(-4))));
        Assert.Equal("2013-10-07T13:30:00.000000123Z", Nanos.ToIso(1_381_152_600_000_000_123L));
        Assert.Equal("1969-12-31T23:59:59.999999999Z", Nanos.ToIso(-1));
    }

    [Fact]
    public void Unspecified_datetimes_are_taken_as_utc()
    {
        var unspecified = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        Assert.Equal(Nanos.FromDateTime(DateTime.SpecifyKind(unspecified, DateTimeKind.Utc)), Nanos.FromDateTime(unspecified));
    }

    [Fact]
    public void Enums_travel_as_snake_case()
    {
        Assert.Equal("partially_filled", EnumText<OrderStatus>.Name(OrderStatus.PartiallyFilled));
        Assert.Equal(OrderStatus.PartiallyFilled, EnumText<OrderStatus>.Parse("partially_filled"));
        Assert.Equal(TimeInForce.PostOnly, EnumText<TimeInForce>.Parse("PostOnly"));
        var error = Assert.Throws<FormatException>(() => EnumText<Side>.Parse("hold"));
        Assert.Equal("'hold' is not a Side; expected one of: buy, sell", error.Message);
    }
}
