# Prints what DBD::ODBC sees for a few queries, to compare a direct DSN with a Cachalot one.
use strict;
use warnings;
use utf8;
use DBI;

my $dbh = DBI->connect("dbi:ODBC:$ARGV[0]", '', '', {RaiseError => 0, PrintError => 0, AutoCommit => 1})
    or die "connect: $DBI::errstr\n";
for my $query (["SELECT * FROM cl_items ORDER BY id"], ["SELECT name, price FROM cl_items WHERE id = ?", 2],
               ["SELECT name FROM cl_items WHERE name = ?", "ünïcödé 😀"], ["SELECT * FROM cl_no_such_table"]) {
    my ($sql, @params) = @$query;
    my $sth = $dbh->prepare($sql);
    if (!$sth || !$sth->execute(@params)) {
        print "error: $DBI::state\n";
        next;
    }
    print 'fields: ', join(', ', map { join ':', map { $_ // '' } $sth->{NAME}[$_], $sth->{TYPE}[$_], $sth->{PRECISION}[$_],
                                                                    $sth->{SCALE}[$_] } 0 .. $sth->{NUM_OF_FIELDS} - 1), "\n";
    while (my @row = $sth->fetchrow_array) {
        print 'row: ', join('|', map { $_ // '\N' } @row), "\n";
    }
}
