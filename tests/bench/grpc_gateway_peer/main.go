// The grpc-gateway peer of the gateway benchmark (issue 14, P2): Debian's grpc-gateway
// v1 in front of the catalog, so `./gongkai bench` compares gongkai-gateway with it on
// the same request in the same run. Not part of the product; built by build.sh in
// GOPATH mode from code generated at bench time.
//
// Like gongkai-gateway it emits fields with default values (proto3 JSON names, enums
// as names, int64 as strings), so both answer the same bytes' worth for a document.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"

	catalog "gongkai/catalog/v1"
)

func main() {
	backend := flag.String("backend", "127.0.0.1:50051", "the catalog's gRPC address")
	listen := flag.String("listen", "127.0.0.1:0", "HTTP address to listen on")
	flag.Parse()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conn, err := grpc.DialContext(ctx, *backend, grpc.WithInsecure())
	if err != nil {
		log.Fatalf("dial %s: %v", *backend, err)
	}
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard,
		&runtime.JSONPb{OrigName: false, EmitDefaults: true}))
	if err := catalog.RegisterCatalogServiceHandler(ctx, mux, conn); err != nil {
		log.Fatalf("register: %v", err)
	}
	health := grpc_health_v1.NewHealthClient(conn)
	root := http.NewServeMux()
	// /healthz: the catalog's gRPC health Check through the same channel.
	root.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		c, done := context.WithTimeout(r.Context(), time.Second)
		defer done()
		resp, err := health.Check(c, &grpc_health_v1.HealthCheckRequest{})
		if err != nil || resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
			http.Error(w, "not serving", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"status":"SERVING"}`)
	})
	root.Handle("/", mux)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("listen %s: %v", *listen, err)
	}
	fmt.Printf("{\"msg\":\"grpc-gateway listening\",\"http_port\":%d}\n",
		ln.Addr().(*net.TCPAddr).Port)
	server := &http.Server{Handler: root}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		shutdown, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		server.Shutdown(shutdown)
	}()
	if err := server.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatalf("serve: %v", err)
	}
}
