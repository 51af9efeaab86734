namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>FIX 4.4 tag numbers the engine and its applications use by name.</summary>
public static class FixTag
{
#pragma warning disable CS1591 // the names are the FIX field names
    public const int Account = 1;
    public const int AvgPx = 6;
    public const int BeginSeqNo = 7;
    public const int BeginString = 8;
    public const int BodyLength = 9;
    public const int CheckSum = 10;
    public const int ClOrdId = 11;
    public const int CumQty = 14;
    public const int EndSeqNo = 16;
    public const int ExecId = 17;
    public const int LastPx = 31;
    public const int LastQty = 32;
    public const int MsgSeqNum = 34;
    public const int MsgType = 35;
    public const int NewSeqNo = 36;
    public const int OrderId = 37;
    public const int OrderQty = 38;
    public const int OrdStatus = 39;
    public const int OrdType = 40;
    public const int OrigClOrdId = 41;
    public const int PossDupFlag = 43;
    public const int Price = 44;
    public const int RefSeqNum = 45;
    public const int SenderCompId = 49;
    public const int SendingTime = 52;
    public const int Side = 54;
    public const int Symbol = 55;
    public const int TargetCompId = 56;
    public const int Text = 58;
    public const int TimeInForce = 59;
    public const int TransactTime = 60;
    public const int PossResend = 97;
    public const int EncryptMethod = 98;
    public const int StopPx = 99;
    public const int CxlRejReason = 102;
    public const int OrdRejReason = 103;
    public const int HeartBtInt = 108;
    public const int TestReqId = 112;
    public const int OrigSendingTime = 122;
    public const int GapFillFlag = 123;
    public const int ResetSeqNumFlag = 141;
    public const int NoRelatedSym = 146;
    public const int ExecType = 150;
    public const int LeavesQty = 151;
    public const int MdReqId = 262;
    public const int SubscriptionRequestType = 263;
    public const int MarketDepth = 264;
    public const int MdUpdateType = 265;
    public const int NoMdEntryTypes = 267;
    public const int NoMdEntries = 268;
    public const int MdEntryType = 269;
    public const int MdEntryPx = 270;
    public const int MdEntrySize = 271;
    public const int MdEntryId = 278;
    public const int MdUpdateAction = 279;
    public const int MdReqRejReason = 281;
    public const int SecurityReqId = 320;
    public const int SecurityResponseId = 322;
    public const int SecurityResponseType = 323;
    public const int RefTagId = 371;
    public const int RefMsgType = 372;
    public const int SessionRejectReason = 373;
    public const int BusinessRejectRefId = 379;
    public const int BusinessRejectReason = 380;
    public const int CxlRejResponseTo = 434;
    public const int Username = 553;
    public const int Password = 554;
    public const int NextExpectedMsgSeqNum = 789;
    public const int LastLiquidityInd = 851;
#pragma warning restore CS1591
}
