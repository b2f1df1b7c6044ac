package dev.meshaware.benchmarks.clinic.owner;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Visits, the latest first. */
public interface VisitRepository extends JpaRepository<Visit, Integer> {
  List<Visit> findByPetIdOrderByVisitDateDesc(Integer petId);
}
