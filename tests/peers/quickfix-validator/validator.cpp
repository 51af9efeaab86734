// QuickFIX 1.15's own parsing and validation, as a filter: reads FIX frames (hex-encoded, one per line) and prints how
// QuickFIX's Message and DataDictionary judge each one: "invalid" (the frame is not a message), "ok", or the
// exception validation raised and its field. The engine's validator is compared with it message by message.
// Usage: validator SESSION.xml [APPLICATION.xml]   (FIX 4.x: one dictionary; FIXT: FIXT11.xml and FIX50*.xml)
#include <quickfix/DataDictionary.h>
#include <quickfix/Exceptions.h>
#include <quickfix/Message.h>
#include <iostream>
#include <string>

static std::string unhex(const std::string& hex)
{
  std::string bytes;
  for (std::string::size_type i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

template <typename E> static std::string named(const char* name, const E& e) { return std::string(name) + " " + std::to_string(e.field); }

int main(int argc, char** argv)
{
  if (argc < 2) { std::cerr << "usage: validator SESSION.xml [APPLICATION.xml]" << std::endl; return 2; }
  FIX::DataDictionary session(argv[1]);
  FIX::DataDictionary application(argc > 2 ? argv[2] : argv[1]);
  std::string line;
  while (std::getline(std::cin, line))
  {
    const std::string frame = unhex(line);
    std::string verdict;
    try
    {
      FIX::Message message(frame, session, application, true);
      const FIX::DataDictionary* app = message.isAdmin() ? &session : &application;
      try
      {
        FIX::DataDictionary::validate(message, &session, app);
        verdict = "ok";
      }
      catch (FIX::RequiredTagMissing& e) { verdict = named("RequiredTagMissing", e); }
      catch (FIX::InvalidTagNumber& e) { verdict = named("InvalidTagNumber", e); }
      catch (FIX::NoTagValue& e) { verdict = named("NoTagValue", e); }
      catch (FIX::TagNotDefinedForMessage& e) { verdict = named("TagNotDefinedForMessage", e); }
      catch (FIX::InvalidMessageType&) { verdict = "InvalidMessageType 35"; }
      catch (FIX::TagOutOfOrder& e) { verdict = named("TagOutOfOrder", e); }
      catch (FIX::IncorrectDataFormat& e) { verdict = named("IncorrectDataFormat", e); }
      catch (FIX::IncorrectTagValue& e) { verdict = named("IncorrectTagValue", e); }
      catch (FIX::RepeatedTag& e) { verdict = named("RepeatedTag", e); }
      catch (FIX::RepeatingGroupCountMismatch& e) { verdict = named("RepeatingGroupCountMismatch", e); }
      catch (FIX::UnsupportedVersion&) { verdict = "UnsupportedVersion 8"; }
      catch (FIX::FieldNotFound& e) { verdict = named("FieldNotFound", e); }
      catch (std::exception& e) { verdict = std::string("other ") + e.what(); }
    }
    catch (FIX::InvalidMessage&) { verdict = "invalid"; }
    catch (std::exception& e) { verdict = std::string("other ") + e.what(); }
    std::cout << verdict << "\n";
  }
  std::cout.flush();
  return 0;
}
