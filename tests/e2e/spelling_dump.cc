// spelling_dump.cc - prints the spelling table of a Xapian database, one "word<TAB>frequency" a
// line in byte order: xapian-delve cannot list it, and the library offers only suggestions.
// Test-only (tests/e2e/test_from_jsonl.py, test_indexer.py compile it with `c++ ... -lxapian`).
#include <iostream>
#include <xapian.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::cerr << "usage: spelling_dump DATABASE\n";
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        for (Xapian::TermIterator it = db.spellings_begin(); it != db.spellings_end(); ++it)
            std::cout << *it << '\t' << it.get_termfreq() << '\n';
    } catch (const Xapian::Error &e) {
        std::cerr << argv[1] << ": " << e.get_description() << '\n';
        return 1;
    }
    return 0;
}
