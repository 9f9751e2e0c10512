// Command apigen generates a client package from an OpenAPI spec: the models
// (through oapi-codegen, used as a library) and the API layer on top of them
// (a typed method per operation, an iterator per collection, the operation
// table), the open enums the spec declares under x-go-enums, and the table
// of iVvy notification subjects (x-ivvy-subject). It runs at
// generate time only; nothing it imports reaches a client binary.
//
// Usage (from the module root, as generate.go does):
//
//	go run ./internal/apigen -config specs/ivvy.cfg.yaml -api gen/ivvy/api.gen.go -enums gen/ivvy/enums.gen.go specs/ivvy.yaml
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"gopkg.in/yaml.v3"
)

// config is the generator's configuration file: oapi-codegen's own settings
// for the models, plus where the models go.
type config struct {
	codegen.Configuration `yaml:",inline"`
	Output                string `yaml:"output"`
}

func main() {
	cfgPath := flag.String("config", "", "oapi-codegen configuration (package, output, options)")
	apiOut := flag.String("api", "", "file to write the API layer to")
	optionsOut := flag.String("options", "", "file to write the shared options to (optional)")
	enumsOut := flag.String("enums", "", "file to write the spec's x-go-enums to (required when it has any)")
	subjectsOut := flag.String("subjects", "", "file to write the iVvy notification subject table to (required when the spec marks x-ivvy-subject)")
	var binds multiFlag
	flag.Var(&binds, "bind", "a path parameter the API fills itself, as name=expression (repeatable)")
	flag.Parse()
	if *cfgPath == "" || *apiOut == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: apigen -config CFG -api OUT.gen.go [-options OUT.gen.go] [-enums OUT.gen.go] [-subjects OUT.gen.go] [-bind name=expr]... SPEC")
		os.Exit(2)
	}
	if err := run(*cfgPath, *apiOut, *enumsOut, *subjectsOut, flag.Arg(0), binds); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
	if *optionsOut != "" {
		if err := runOptions(*cfgPath, *optionsOut); err != nil {
			fmt.Fprintln(os.Stderr, "apigen:", err)
			os.Exit(1)
		}
	}
}

func run(cfgPath, apiOut, enumsOut, subjectsOut, specPath string, binds []string) error {
	raw, err := os.ReadFile(cfgPath)
	if err != nil {
		return err
	}
	var cfg config
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return fmt.Errorf("%s: %w", cfgPath, err)
	}
	if cfg.Output == "" {
		return fmt.Errorf("%s: output is required", cfgPath)
	}
	cfg.Configuration = cfg.Configuration.UpdateDefaults()
	if err := cfg.Configuration.Validate(); err != nil {
		return fmt.Errorf("%s: %w", cfgPath, err)
	}
	doc, err := util.LoadSwagger(specPath)
	if err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	if err := plainResponseOptionals(doc); err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	// oapi-codegen rewrites the document it is given (operationIds among
	// other things), so the API layer reads a copy of its own.
	opsDoc, err := util.LoadSwagger(specPath)
	if err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	if err := plainResponseOptionals(opsDoc); err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	enums, err := readEnums(opsDoc)
	if err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	switch {
	case len(enums) > 0 && enumsOut == "":
		return fmt.Errorf("%s declares x-go-enums: -enums names the file to write them to", specPath)
	case len(enums) == 0 && enumsOut != "":
		return fmt.Errorf("-enums %s: %s declares no x-go-enums", enumsOut, specPath)
	}
	models, err := codegen.Generate(doc, cfg.Configuration)
	if err != nil {
		return fmt.Errorf("%s: models: %w", specPath, err)
	}
	subjects, err := readSubjects(opsDoc)
	if err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	switch {
	case len(subjects) > 0 && subjectsOut == "":
		return fmt.Errorf("%s marks %s schemas: -subjects names the file to write their table to", specPath, extSubject)
	case len(subjects) == 0 && subjectsOut != "":
		return fmt.Errorf("-subjects %s: %s marks no %s schema", subjectsOut, specPath, extSubject)
	}
	models = dropPackageComment(models, cfg.PackageName)
	if err := write(cfg.Output, []byte(models)); err != nil {
		return err
	}

	bound := map[string]string{}
	for _, b := range binds {
		name, expr, ok := strings.Cut(b, "=")
		if !ok {
			return fmt.Errorf("-bind %q: want name=expression", b)
		}
		bound[name] = expr
	}
	ops, err := readOperations(opsDoc, bound)
	if err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	src, err := render(cfg.PackageName, filepath.ToSlash(specPath), ops)
	if err != nil {
		return err
	}
	if err := writeGo(apiOut, src); err != nil {
		return err
	}
	if len(enums) > 0 {
		src, err = renderEnums(cfg.PackageName, filepath.ToSlash(specPath), enums)
		if err != nil {
			return err
		}
		if err := writeGo(enumsOut, src); err != nil {
			return err
		}
	}
	if len(subjects) > 0 {
		src, err = renderSubjects(subjectsOut, filepath.Dir(apiOut), cfg.PackageName, filepath.ToSlash(specPath), subjects)
		if err != nil {
			return err
		}
		if err := writeGo(subjectsOut, src); err != nil {
			return err
		}
	}
	return nil
}

// writeGo formats src and writes it to path; source that does not format is
// written as it is, for reading, and reported.
func writeGo(path string, src []byte) error {
	formatted, err := format.Source(src)
	if err != nil {
		_ = write(path, src)
		return fmt.Errorf("%s: generated code does not format: %w", path, err)
	}
	return write(path, formatted)
}

func runOptions(cfgPath, out string) error {
	raw, err := os.ReadFile(cfgPath)
	if err != nil {
		return err
	}
	var cfg config
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return fmt.Errorf("%s: %w", cfgPath, err)
	}
	src, err := renderOptions(cfg.PackageName)
	if err != nil {
		return err
	}
	return write(out, src)
}

// dropPackageComment removes oapi-codegen's package comment: each package
// documents itself in its doc.go.
func dropPackageComment(src, pkg string) string {
	lines := strings.Split(src, "\n")
	out := lines[:0]
	skipping := false
	for _, l := range lines {
		if strings.HasPrefix(l, "// Package "+pkg+" provides primitives") {
			skipping = true
			continue
		}
		if skipping && strings.HasPrefix(l, "//") && !strings.HasPrefix(l, "// Code generated") {
			continue
		}
		skipping = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func write(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(path, b, 0o644)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
