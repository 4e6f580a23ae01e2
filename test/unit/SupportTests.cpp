#include "support/Diagnostics.h"
#include "support/SourceManager.h"
#include "support/Utf8.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace streamc;

TEST(SourceManager, MapsOffsetsToLinesAndColumns) {
  SourceManager sm;
  FileId f = sm.addBuffer("a.stream", "ab\ncd\r\n\nxyz");
  EXPECT_EQ(sm.lineCol({f, 0}).line, 1u);
  EXPECT_EQ(sm.lineCol({f, 1}).column, 2u);
  EXPECT_EQ(sm.lineCol({f, 3}).line, 2u);
  EXPECT_EQ(sm.lineCol({f, 3}).column, 1u);
  EXPECT_EQ(sm.lineCol({f, 8}).line, 4u);
  EXPECT_EQ(sm.lineText(f, 2), "cd"); // the \r is not part of the line
  EXPECT_EQ(sm.lineText(f, 3), "");
  EXPECT_EQ(sm.lineText(f, 4), "xyz");
  EXPECT_EQ(sm.describe({f, 9}), "a.stream:4:2");
}

TEST(SourceManager, ColumnsCountCharacters) {
  SourceManager sm;
  // "é" is two bytes, "€" three; an invalid byte counts as one character.
  FileId f = sm.addBuffer("a.stream", "\xC3\xA9\xE2\x82\xAC\xFFx");
  EXPECT_EQ(sm.lineCol({f, 2}).column, 2u);
  EXPECT_EQ(sm.lineCol({f, 5}).column, 3u);
  EXPECT_EQ(sm.lineCol({f, 6}).column, 4u);
}

TEST(Utf8, ValidatesStrictly) {
  EXPECT_EQ(utf8SequenceLength("a", 0), 1u);
  EXPECT_EQ(utf8SequenceLength("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);
  EXPECT_EQ(utf8SequenceLength("\xC0\xAF", 0), 0u);         // overlong
  EXPECT_EQ(utf8SequenceLength("\xED\xA0\x80", 0), 0u);     // a surrogate
  EXPECT_EQ(utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u); // past U+10FFFF
  EXPECT_EQ(utf8SequenceLength("\xE2\x82", 0), 0u);         // cut short
  auto runs = findInvalidUtf8("ok\xFF\xFEok\xE9");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].begin, 2u);
  EXPECT_EQ(runs[0].end, 4u);
  EXPECT_EQ(runs[1].begin, 6u);
  EXPECT_EQ(utf8Decode("\xE2\x82\xAC"), 0x20ACu);
}

TEST(Utf8, VisibleTextKeepsOneCharacterPerCharacter) {
  EXPECT_EQ(visibleText(std::string("a\0b\tc\x7F", 6)), "a\xE2\x90\x80"
                                                        "b\tc\xE2\x90\xA1");
  EXPECT_EQ(visibleText("\xFF\xC3\xA9"), "\xEF\xBF\xBD\xC3\xA9");
  EXPECT_EQ(codePointName(0), "U+0000");
}

TEST(SourceManager, ReportsMissingFiles) {
  SourceManager sm;
  std::string why;
  EXPECT_EQ(sm.loadFile("/nonexistent/x.stream", why), 0u);
  EXPECT_EQ(why, "no such file");
  EXPECT_EQ(sm.loadFile("/dev/zero", why), 0u); // would never end
  EXPECT_EQ(why, "not a regular file");
}

TEST(Diagnostics, RendersCaretUnderTheSpanSortedByLocation) {
  SourceManager sm;
  FileId f = sm.addBuffer("p.stream", "from clicks | where urll > 3\n");
  DiagnosticEngine diags(sm);
  diags.warning(SourceRange(f, 26, 27), "second");
  Diagnostic &d = diags.error(SourceRange(f, 20, 24), "unknown name 'urll'");
  d.notes.push_back({{}, "a note without a place"});
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.warningCount(), 1u);
  std::ostringstream os;
  diags.flush(os, /*color=*/false);
  EXPECT_EQ(os.str(), "p.stream:1:21: error: unknown name 'urll'\n"
                      " 1 | from clicks | where urll > 3\n"
                      "   |                     ^~~~\n"
                      "note: a note without a place\n"
                      "p.stream:1:27: warning: second\n"
                      " 1 | from clicks | where urll > 3\n"
                      "   |                           ^\n");
}

TEST(Diagnostics, ColourOnlyWhenAsked) {
  SourceManager sm;
  DiagnosticEngine diags(sm);
  diags.error({}, "plain");
  std::ostringstream plain, coloured;
  diags.render(plain, diags.diagnostics()[0], false);
  diags.render(coloured, diags.diagnostics()[0], true);
  EXPECT_EQ(plain.str().find('\033'), std::string::npos);
  EXPECT_NE(coloured.str().find('\033'), std::string::npos);
}

TEST(ClosestMatch, SuggestsTyposOnly) {
  std::vector<std::string> names = {"file", "stdin", "stdout", "kafka", "generate"};
  EXPECT_EQ(closestMatch("fiel", names), "file");    // transposition
  EXPECT_EQ(closestMatch("stdot", names), "stdout"); // deletion
  EXPECT_EQ(closestMatch("kafak", names), "kafka");
  EXPECT_EQ(closestMatch("postgres", names), ""); // nothing close
}
