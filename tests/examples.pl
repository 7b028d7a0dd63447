#!/usr/bin/perl
# examples.pl - print every runnable example of the README and the man
# pages, for tests/t5100-examples.t.
#
#   perl tests/examples.pl README.md man/hs-agg.1 ...
#
# An example is an indented block of the README (four spaces) or a .Dl line
# or .Bd -literal block of a man page whose first line is a command: it
# starts with an hs tool, "..." ("... |" stands for the rows of the demo
# pipeline, see hs(7); any other elision fails), a comment, or one of the
# shell tools the examples use. Blocks that start otherwise (records,
# tables, file layouts) and `make' targets (CI runs those itself) are not
# examples, nor is what follows a blank line in a README block when it is
# no command (the output of the command above). Each example is printed as
#
#   === FILE:LINE
#   the example, mdoc escapes decoded
#
# Examples of one file are printed in the order they appear: an example
# may use the files an earlier one made, as a reader following the page
# would.
use strict;
use warnings;

my $command = qr{^(?:hs-[a-z]+(?=\s|$)|\.\.\.(?=\s|$)|\#|
    (?:coproc|read|sqlite3|grep|jq|mlr|tee|cat)(?=\s|$))}x;

sub emit {
	my ($where, @lines) = @_;
	return unless @lines && $lines[0] =~ $command;
	print "=== $where\n", map({ "$_\n" } @lines);
}

sub mdoc_text {
	local $_ = shift;
	s/\\e/\\/g;
	s/\\\(dq/"/g;
	s/\\\(aq/'/g;
	s/\\-/-/g;
	s/\\&//g;
	s/\\\(ba/|/g;
	return $_;
}

sub readme {
	my ($file) = @_;
	open my $fh, '<', $file or die "$file: $!\n";
	my (@block, $start);
	my $prev_blank = 1;
	while (my $line = <$fh>) {
		chomp $line;
		if ($line =~ /^ {4}(.*)$/ && (@block || $prev_blank)) {
			my $text = $1;
			if (@block && $block[-1] eq '' && $text !~ $command) {
				pop @block while @block && $block[-1] eq '';
				emit("$file:$start", @block);
				@block = ();
			}
			$start = $. unless @block;
			push @block, $text;
		} elsif (@block && $line =~ /^\s*$/) {
			push @block, '';
		} else {
			pop @block while @block && $block[-1] eq '';
			emit("$file:$start", @block) if @block;
			@block = ();
		}
		$prev_blank = $line =~ /^\s*$/;
	}
	pop @block while @block && $block[-1] eq '';
	emit("$file:$start", @block) if @block;
}

sub manpage {
	my ($file) = @_;
	open my $fh, '<', $file or die "$file: $!\n";
	my (@block, $start, $literal);
	while (my $line = <$fh>) {
		chomp $line;
		if ($literal) {
			if ($line =~ /^\.Ed\b/) {
				emit("$file:$start", @block);
				$literal = 0;
				@block = ();
			} elsif ($line !~ /^\.\\"/) {
				push @block, mdoc_text($line);
			}
		} elsif ($line =~ /^\.Bd -literal/) {
			$literal = 1;
			$start = $. + 1;
		} elsif ($line =~ /^\.Dl (.*)$/) {
			emit("$file:$.", mdoc_text($1));
		}
	}
}

for my $file (@ARGV) {
	if ($file =~ /\.md$/) {
		readme($file);
	} else {
		manpage($file);
	}
}
