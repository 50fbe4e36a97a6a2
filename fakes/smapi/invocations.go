package smapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// invokeRequest is the body of both invocation APIs.
type invokeRequest struct {
	EndpointRegion string `json:"endpointRegion"`
	SkillRequest   *struct {
		Body json.RawMessage `json:"body"`
	} `json:"skillRequest"`
}

// invocationAnswer is v2.skill.invocations.InvocationsApiResponse, and v1's
// InvokeSkillResponse with v1's status words.
type invocationAnswer struct {
	Status string `json:"status"`
	Result struct {
		SkillExecutionInfo *invocationInfo `json:"skillExecutionInfo,omitempty"`
		Error              *resultError    `json:"error"`
	} `json:"result"`
}

// invokeV2 is invoke-skill-end-point: the envelope goes to the skill
// unchanged, and the answer says SUCCESSFUL or FAILED.
func (s *Server) invokeV2(c *call) *apiError {
	return s.invoke(c, []string{"NA", "EU", "FE", "default"}, StatusSuccessful)
}

// invokeV1 is invoke-skill, which spells success SUCCEEDED.
func (s *Server) invokeV1(c *call) *apiError {
	return s.invoke(c, []string{"NA", "EU", "FE"}, "SUCCEEDED")
}

func (s *Server) invoke(c *call, regions []string, succeeded string) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	data, e := readBody(c, "skillRequest")
	if e != nil {
		return e
	}
	var req invokeRequest
	if err := json.Unmarshal(data, &req); err != nil {
		return badRequest("The invocation request is not valid.", bodyViolation("INVALID_DATA_TYPE", "$", "%v", err))
	}
	const invalid = "The invocation request is not valid."
	if !slices.Contains(regions, req.EndpointRegion) {
		return badRequest(invalid, bodyViolation("INVALID_ENUM_VALUE", "$.endpointRegion", "endpointRegion %q is not one of %s", req.EndpointRegion, strings.Join(regions, ", ")))
	}
	body := req.SkillRequest.Body
	if t := strings.TrimSpace(string(body)); t == "" || t[0] != '{' {
		return badRequest(invalid, bodyViolation("MISSING_REQUIRED_PROPERTY", "$.skillRequest.body", "skillRequest.body is required: a request envelope object"))
	}
	ctx, cancel := context.WithTimeout(c.r.Context(), s.cfg.InvocationTimeout)
	defer cancel()
	inv, err := s.cfg.Backend.Invoke(ctx, sk.id, body)
	var ans invocationAnswer
	ans.Status = succeeded
	if inv != nil {
		info := infoOf(*inv)
		ans.Result.SkillExecutionInfo = &info
	}
	if err != nil {
		ans.Status, ans.Result.Error = StatusFailed, failureOf(err)
		c.rec.Detail = err.Error()
	}
	writeJSON(c.w, http.StatusOK, ans)
	return nil
}
