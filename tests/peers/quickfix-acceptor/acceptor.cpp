// An independent FIX 4.4 counterparty for interop tests: QuickFIX C++ 1.15 (Debian libquickfix-dev) as an acceptor.
// Venue behaviour: every NewOrderSingle is acknowledged (ExecType 0); it is then filled at its limit price (or 100)
// unless the symbol is HOLD, in which case it rests. Every order taken and every fill sent is printed (ORDER <ClOrdID>,
// FILL <ClOrdID> <Symbol> <Side> <Qty> <Px>): the venue's own ledger, for tests that reconcile positions with it. OrderCancelRequest cancels a resting order (ExecType 4) or is
// refused with OrderCancelReject (CxlRejReason 1, unknown order). Other application messages get QuickFIX's own
// BusinessMessageReject (unsupported message type).
// Usage: quickfix-acceptor <settings file>; prints READY when listening, exits when stdin closes.
#include <quickfix/Application.h>
#include <quickfix/MessageCracker.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/FileStore.h>
#include <quickfix/FileLog.h>
#include <memory>
#include <quickfix/Session.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelRequest.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/OrderCancelReject.h>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

class Venue : public FIX::Application, public FIX::MessageCracker
{
public:
  void onCreate(const FIX::SessionID&) {}
  void onLogon(const FIX::SessionID& s) { std::cout << "LOGON " << s.toString() << std::endl; }
  void onLogout(const FIX::SessionID& s) { std::cout << "LOGOUT " << s.toString() << std::endl; }
  void toAdmin(FIX::Message&, const FIX::SessionID&) {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
    throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) {}
  void fromApp(const FIX::Message& message, const FIX::SessionID& session)
    throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType)
  {
    crack(message, session);
  }

  void onMessage(const FIX44::NewOrderSingle& order, const FIX::SessionID& session)
  {
    FIX::ClOrdID clOrdId; FIX::Symbol symbol; FIX::Side side; FIX::OrdType ordType; FIX::OrderQty qty;
    order.get(clOrdId); order.get(symbol); order.get(side); order.get(ordType); order.get(qty);
    double price = 100;
    if (ordType == FIX::OrdType_LIMIT) { FIX::Price limit; order.get(limit); price = limit; }
    std::string orderId = "Q" + clOrdId.getValue();
    std::cout << "ORDER " << clOrdId.getValue() << std::endl;

    FIX44::ExecutionReport ack(FIX::OrderID(orderId), FIX::ExecID(nextExecId()), FIX::ExecType(FIX::ExecType_NEW),
      FIX::OrdStatus(FIX::OrdStatus_NEW), side, FIX::LeavesQty(qty), FIX::CumQty(0), FIX::AvgPx(0));
    ack.set(clOrdId); ack.set(symbol); ack.set(qty); ack.set(ordType); ack.set(FIX::TransactTime());
    FIX::Session::sendToTarget(ack, session);

    if (symbol.getValue() == "HOLD")
    {
      resting[clOrdId.getValue()] = order;
      return;
    }
    FIX44::ExecutionReport fill(FIX::OrderID(orderId), FIX::ExecID(nextExecId()), FIX::ExecType(FIX::ExecType_TRADE),
      FIX::OrdStatus(FIX::OrdStatus_FILLED), side, FIX::LeavesQty(0), FIX::CumQty(qty), FIX::AvgPx(price));
    fill.set(clOrdId); fill.set(symbol); fill.set(qty); fill.set(ordType);
    fill.set(FIX::LastQty(qty)); fill.set(FIX::LastPx(price)); fill.set(FIX::TransactTime());
    FIX::Session::sendToTarget(fill, session);
    std::cout << std::setprecision(15) << "FILL " << clOrdId.getValue() << " " << symbol.getValue() << " " << side.getValue() << " " << qty.getValue() << " " << price << std::endl;
  }

  void onMessage(const FIX44::OrderCancelRequest& cancel, const FIX::SessionID& session)
  {
    FIX::OrigClOrdID orig; FIX::ClOrdID clOrdId;
    cancel.get(orig); cancel.get(clOrdId);
    std::map<std::string, FIX44::NewOrderSingle>::iterator it = resting.find(orig.getValue());
    if (it == resting.end())
    {
      FIX44::OrderCancelReject reject(FIX::OrderID("NONE"), clOrdId, orig, FIX::OrdStatus(FIX::OrdStatus_REJECTED),
        FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST));
      reject.set(FIX::CxlRejReason(FIX::CxlRejReason_UNKNOWN_ORDER));
      reject.set(FIX::Text("unknown order"));
      FIX::Session::sendToTarget(reject, session);
      return;
    }
    FIX::Symbol symbol; FIX::Side side; FIX::OrderQty qty; FIX::OrdType ordType;
    it->second.get(symbol); it->second.get(side); it->second.get(qty); it->second.get(ordType);
    FIX44::ExecutionReport done(FIX::OrderID("Q" + orig.getValue()), FIX::ExecID(nextExecId()), FIX::ExecType(FIX::ExecType_CANCELED),
      FIX::OrdStatus(FIX::OrdStatus_CANCELED), side, FIX::LeavesQty(0), FIX::CumQty(0), FIX::AvgPx(0));
    done.set(clOrdId); done.set(orig); done.set(symbol); done.set(qty); done.set(ordType); done.set(FIX::TransactTime());
    resting.erase(it);
    FIX::Session::sendToTarget(done, session);
  }

private:
  std::string nextExecId()
  {
    std::ostringstream id;
    id << "QX" << ++execId;
    return id.str();
  }

  std::map<std::string, FIX44::NewOrderSingle> resting;
  long execId = 0;
};

int main(int argc, char** argv)
{
  // --memory: a memory store and no log, QuickFIX at its fastest (the latency comparison); default: file store and log.
  if (argc < 2 || argc > 3 || (argc == 3 && std::string(argv[2]) != "--memory"))
  {
    std::cerr << "usage: quickfix-acceptor <settings file> [--memory]" << std::endl;
    return 2;
  }
  try
  {
    FIX::SessionSettings settings(argv[1]);
    Venue venue;
    const bool memory = argc == 3;
    FIX::FileStoreFactory fileStore(settings);
    FIX::MemoryStoreFactory memoryStore;
    FIX::FileLogFactory log(settings);
    FIX::MessageStoreFactory& store = memory ? static_cast<FIX::MessageStoreFactory&>(memoryStore) : fileStore;
    std::unique_ptr<FIX::SocketAcceptor> acceptor(memory ? new FIX::SocketAcceptor(venue, store, settings) : new FIX::SocketAcceptor(venue, store, settings, log));
    acceptor->start();
    std::cout << "READY" << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {}
    acceptor->stop();
    return 0;
  }
  catch (std::exception& e)
  {
    std::cerr << "quickfix-acceptor: " << e.what() << std::endl;
    return 1;
  }
}
