package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// formats the --format flag accepts.
var formats = []string{"table", "json", "csv"}

// checkFormat returns a usage error for an unknown --format value.
func checkFormat(format string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	return usageError("--format %q: want table, json or csv", format)
}

// writeRecords prints rows as an aligned table or CSV (with headers), or
// jsonValue as one indented JSON document.
func writeRecords(w io.Writer, format string, headers []string, rows [][]string, jsonValue any) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonValue)
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(headers); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	case "table", "":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(headers, "\t"))
		for _, r := range rows {
			clean := make([]string, len(r))
			for i, c := range r {
				clean[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
			}
			fmt.Fprintln(tw, strings.Join(clean, "\t"))
		}
		return tw.Flush()
	}
	return checkFormat(format)
}
